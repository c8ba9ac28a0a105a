import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/app';
import { apiPrincipal } from '$lib/server/api/principal';
import { BadRequest, listOrders, parseListQuery } from '$lib/server/api/orders';
import { apiError, apiJson } from '$lib/server/api/errors';

// The hook has authenticated the bearer token; the seller comes from it, never from the request.
export const GET: RequestHandler = async (event) => {
	const { sellerId } = apiPrincipal(event);
	let q;
	try {
		q = parseListQuery(event.url.searchParams);
	} catch (e) {
		if (e instanceof BadRequest) return apiError(400, 'invalid_request', e.message);
		throw e;
	}
	return apiJson(await listOrders(await getDb(), sellerId, q));
};
