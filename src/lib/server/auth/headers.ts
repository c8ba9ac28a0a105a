/**
 * Security headers on every response, set by the handle hook. Pages get their
 * Content-Security-Policy from SvelteKit itself (kit.csp in svelte.config.js), which puts a
 * per-request nonce on every inline script it writes, streamed-data scripts included; any other
 * response (JSON, files, redirects) gets a deny-all policy here.
 */
export const NON_PAGE_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Sets the headers; `csp` is false under `vite dev`. */
export function withSecurityHeaders(response: Response, opts: { https: boolean; csp: boolean; signedIn: boolean }): Response {
	let r = response;
	try {
		r.headers.set('x-content-type-options', 'nosniff');
	} catch {
		r = new Response(response.body, response); // immutable headers (Response.redirect, fetch)
		r.headers.set('x-content-type-options', 'nosniff');
	}
	const h = r.headers;
	if (opts.csp && !h.has('content-security-policy')) h.set('content-security-policy', NON_PAGE_CSP);
	h.set('x-frame-options', 'DENY');
	h.set('referrer-policy', 'same-origin');
	h.set('cross-origin-opener-policy', 'same-origin');
	h.set('permissions-policy', 'camera=(), microphone=(), geolocation=()');
	if (opts.https) h.set('strict-transport-security', 'max-age=31536000');
	// Pages and data behind a sign-in are not for shared caches.
	if (opts.signedIn && !h.has('cache-control')) h.set('cache-control', 'private, no-store');
	// No framework or server banners.
	for (const name of ['x-powered-by', 'server', 'x-sveltekit-page']) h.delete(name);
	return r;
}
