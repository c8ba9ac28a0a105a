import type { PageServerLoad } from './$types';
import { requireUser, scopeFor } from '$lib/server/auth/guard';
import { loadKpis } from '../export/kpis.server';
import { exportQuery, runTable } from '../export/tables.server';

export const load: PageServerLoad = async ({ url, locals }) => {
	const scope = scopeFor(requireUser(locals));
	// The difference-in-differences lift needs control SKUs and is slow: the page fetches it after first
	// paint from the table's own JSON download (same request), instead of holding the page for it.
	const didQuery = exportQuery('ctr_did', url.searchParams);
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
	return { kpis: k.kpis, category: category.table, didQuery, provider: provider.table, orders: orders.table };
};
