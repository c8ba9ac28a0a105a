import { json } from '@sveltejs/kit';
import { getDb } from '$lib/server/app';

export async function GET() {
	const db = await getDb();
	await db.one('SELECT 1 AS ok');
	return json({ ok: true });
}
