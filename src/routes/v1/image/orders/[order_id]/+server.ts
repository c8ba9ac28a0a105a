import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/app';
import { apiPrincipal } from '$lib/server/api/principal';
import { getOrder } from '$lib/server/api/orders';
import { apiError, apiJson } from '$lib/server/api/errors';

// Another seller's order and a missing one answer alike: 404, nothing of the order.
export const GET: RequestHandler = async (event) => {
	const { sellerId } = apiPrincipal(event);
	const order = await getOrder(await getDb(), sellerId, event.params.order_id);
	return order ? apiJson(order) : apiError(404, 'not_found', 'no such order for this client');
};
