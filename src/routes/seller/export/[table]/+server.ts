import type { RequestHandler } from './$types';
import { requireUser, scopeFor } from '$lib/server/auth/guard';
import { exportTable } from '../../../export/handler.server';

// Seller downloads: only the seller portal's tables, always in the session's seller scope.
const SELLER_TABLES = new Set(['seller_ctr_orders', 'seller_ctr_sku', 'seller_ctr_month', 'seller_orders', 'seller_volume_month']);

export const GET: RequestHandler = async ({ params, url, locals }) =>
	exportTable(params.table, url, scopeFor(requireUser(locals)), locals.lang, (id) => SELLER_TABLES.has(id));
