import type { PageServerLoad } from './$types';
import { getDb } from '$lib/server/app';
import { LOAD_ORDER } from '$lib/server/db/contract';
import { schemaVersion } from '$lib/server/db/migrate';

export const load: PageServerLoad = async () => {
	const db = await getDb();
	const counts = await db.all<{ table: string; rows: number }>(
		LOAD_ORDER.map((t) => `SELECT '${t}' AS "table", count(*) AS rows FROM ${t}`).join(' UNION ALL ')
	);
	const order = new Map(LOAD_ORDER.map((t, i) => [t, i]));
	counts.sort((a, b) => (order.get(a.table as never) ?? 0) - (order.get(b.table as never) ?? 0));
	const last = await db.one<{ load_id: number; finished_at: Date | null; source: string; status: string }>(
		'SELECT load_id, finished_at, source, status FROM loads ORDER BY load_id DESC LIMIT 1'
	);
	return { counts, lastLoad: last ?? null, schemaVersion: await schemaVersion(db) };
};
