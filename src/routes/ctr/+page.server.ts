import type { PageServerLoad } from './$types';
import { requireUser, scopeFor } from '$lib/server/auth/guard';
import { loadKpis } from '../export/kpis.server';
import { runTable } from '../export/tables.server';

export const load: PageServerLoad = async ({ url, locals }) => {
	const scope = scopeFor(requireUser(locals));
	// The difference-in-differences lift needs control SKUs and is slow: it streams in after first paint.
	const did = runTable('ctr_did', url, scope).then((r) => r.table);
	const [k, category, provider, orders] = await Promise.all([
		loadKpis(
			[
				{ key: 'ctr_lift', metric: 'ctr', column: 'ctr_lift', direction: 'higher', points: true },
				{ key: 'atc_lift', metric: 'ctr', column: 'atc_lift', direction: 'higher', points: true },
				{ key: 'measurable_orders', metric: 'ctr', column: 'measurable_orders', direction: 'neutral' }
			],
			url,
			scope
		),
		runTable('ctr_category', url, scope),
		runTable('ctr_provider', url, scope),
		runTable('ctr_orders', url, scope)
	]);
	return { kpis: k.kpis, category: category.table, did, provider: provider.table, orders: orders.table };
};
