import type { LayoutServerLoad } from './$types';
import { getDb } from '$lib/server/app';
import { today } from '$lib/server/clock';

export const load: LayoutServerLoad = async ({ locals, cookies }) => {
	const t = cookies.get('theme');
	const user = locals.user;
	let providers: { id: string; name: string }[] = [];
	// The provider filter's choices; staff only (a seller's pages do not filter by provider).
	if (user && user.role !== 'seller') {
		const db = await getDb();
		providers = await db.all<{ id: string; name: string }>('SELECT provider_id AS id, name FROM providers ORDER BY name, provider_id');
	}
	return {
		lang: locals.lang,
		theme: (t === 'dark' || t === 'light' ? t : null) as 'dark' | 'light' | null,
		today: today(),
		user: user ? { email: user.email, role: user.role, sellerId: user.sellerId } : null,
		providers
	};
};
