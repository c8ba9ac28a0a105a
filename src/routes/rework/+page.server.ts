import type { PageServerLoad } from './$types';
import { requireUser, scopeFor } from '$lib/server/auth/guard';
import { loadKpis } from '../export/kpis.server';
import { runTable } from '../export/tables.server';

export const load: PageServerLoad = async ({ url, locals }) => {
	const scope = scopeFor(requireUser(locals));
	const ids = ['rework_month', 'rework_form', 'rework_first_form', 'rework_reasons', 'rework_provider'] as const;
	const [k, ...runs] = await Promise.all([
		loadKpis([{ key: 'rework_rate', metric: 'rework', column: 'rework_rate', direction: 'lower', industry: 0.297, points: true }], url, scope),
		...ids.map((id) => runTable(id, url, scope))
	]);
	return { kpis: k.kpis, tables: Object.fromEntries(ids.map((id, i) => [id, runs[i].table])) as Record<(typeof ids)[number], (typeof runs)[number]['table']> };
};
