import type { PageServerLoad } from './$types';
import { requireUser, scopeFor } from '$lib/server/auth/guard';
import { loadKpis } from '../export/kpis.server';
import { runTable } from '../export/tables.server';

export const load: PageServerLoad = async ({ url, locals }) => {
	const scope = scopeFor(requireUser(locals));
	const [k, sku, month, orders] = await Promise.all([
		loadKpis(
			[
				{ key: 'ctr_lift', metric: 'ctr', column: 'ctr_lift', direction: 'higher', points: true },
				{ key: 'atc_lift', metric: 'ctr', column: 'atc_lift', direction: 'higher', points: true },
				{ key: 'measurable_orders', metric: 'ctr', column: 'measurable_orders', direction: 'neutral' }
			],
			url,
			scope
		),
		runTable('seller_ctr_sku', url, scope),
		runTable('seller_ctr_month', url, scope),
		runTable('seller_ctr_orders', url, scope)
	]);
	return { kpis: k.kpis, sku: sku.table, month: month.table, orders: orders.table };
};
