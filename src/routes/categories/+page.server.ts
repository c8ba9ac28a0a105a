import type { PageServerLoad } from './$types';
import { requireUser, scopeFor } from '$lib/server/auth/guard';
import { runTable } from '../export/tables.server';

export const load: PageServerLoad = async ({ url, locals }) => {
	const scope = scopeFor(requireUser(locals));
	const ids = ['category_volume', 'category_rework', 'ctr_category', 'category_disputes', 'category_compensation', 'region_volume'] as const;
	const runs = await Promise.all(ids.map((id) => runTable(id, url, scope)));
	return { tables: Object.fromEntries(ids.map((id, i) => [id, runs[i].table])) as Record<(typeof ids)[number], (typeof runs)[number]['table']> };
};
