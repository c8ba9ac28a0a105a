/**
 * Security headers on every response, set by the handle hook. The Content-Security-Policy allows
 * scripts from this origin plus SvelteKit's own inline bootstrap and streamed-data scripts, which
 * get a per-request nonce (svelte.config.js has no kit.csp, so the hook adds it). Styles allow
 * 'unsafe-inline' because app.html and Svelte's style: directives render style attributes.
 */
import crypto from 'node:crypto';

export function cspNonce(): string {
	return crypto.randomBytes(16).toString('base64');
}

// Only scripts SvelteKit writes: `<script>{ __sveltekit_… }` (bootstrap) and `<script>__sveltekit_….resolve(…)`
// (streamed data). Script tags from anything else, e.g. markup injected through {@html}, stay without the nonce.
const KIT_SCRIPT = /<script>(?=\s*(?:\{\s*)?__sveltekit_[A-Za-z0-9_]*[.\s=])/g;

export function addNonce(html: string, nonce: string): string {
	return html.replace(KIT_SCRIPT, `<script nonce="${nonce}">`);
}

export function contentSecurityPolicy(nonce: string): string {
	return [
		"default-src 'self'",
		`script-src 'self' 'nonce-${nonce}'`,
		"style-src 'self' 'unsafe-inline'",
		"img-src 'self' data: blob:",
		"font-src 'self' data:",
		"connect-src 'self'",
		"object-src 'none'",
		"base-uri 'self'",
		"form-action 'self'",
		"frame-ancestors 'none'"
	].join('; ');
}

/** Sets the headers; `csp` is false under `vite dev`, whose client injects inline scripts of its own. */
export function withSecurityHeaders(response: Response, opts: { nonce: string; https: boolean; csp: boolean; signedIn: boolean }): Response {
	let r = response;
	try {
		r.headers.set('x-content-type-options', 'nosniff');
	} catch {
		r = new Response(response.body, response); // immutable headers (Response.redirect, fetch)
		r.headers.set('x-content-type-options', 'nosniff');
	}
	const h = r.headers;
	if (opts.csp) h.set('content-security-policy', contentSecurityPolicy(opts.nonce));
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
