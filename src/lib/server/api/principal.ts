/**
 * The API client the hook authenticated for a request, handed to the /v1 endpoints without
 * widening App.Locals: keyed by the request object, which SvelteKit passes unchanged from the
 * handle hook to the endpoint.
 */
import type { ApiPrincipal } from './clients.ts';
import { TokenBucket } from '../auth/rate-limit.ts';

const principals = new WeakMap<Request, ApiPrincipal>();

export function setApiPrincipal(request: Request, p: ApiPrincipal): void {
	principals.set(request, p);
}

/** The caller of a /v1 endpoint. Throws when the hook did not authenticate it (a wiring bug, never a 200). */
export function apiPrincipal(event: { request: Request }): ApiPrincipal {
	const p = principals.get(event.request);
	if (!p) throw new Error('no authenticated API client on this request');
	return p;
}

/** Per client: 20 requests a second on average, bursts of 40 (documented in openapi.yaml). */
export const API_RATE = { perSecond: 20, burst: 40 };
export const apiLimiter = new TokenBucket(API_RATE.perSecond, API_RATE.burst);
/** Token requests per client id (known or not): 1 a second, bursts of 10. */
export const tokenLimiter = new TokenBucket(1, 10);
