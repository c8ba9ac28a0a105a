import type { PageServerLoad } from './$types';
import { requireUser, scopeFor } from '$lib/server/auth/guard';
import { runTable } from '../../export/tables.server';

export const load: PageServerLoad = async ({ url, locals }) => {
	const scope = scopeFor(requireUser(locals));
	const [orders, month] = await Promise.all([runTable('seller_orders', url, scope), runTable('seller_volume_month', url, scope)]);
	return { orders: orders.table, month: month.table };
};
