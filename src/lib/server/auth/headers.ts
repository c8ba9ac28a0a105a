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

/**
 * Inline scripts allowed by their SHA-256 (CSP hash source), for constant scripts that must run
 * before first paint. Now: the theme bootstrap of src/routes/+layout.svelte (sets data-theme
 * from localStorage so a dark page does not flash). When it changes, the browser test
 * test/browser/access.spec.ts reports the CSP violation: update the hash, or better, move the
 * script to a file under static/ and load it with <script src>.
 */
export const INLINE_SCRIPT_HASHES = [
	"try{var t=localStorage.getItem('theme');if(t==='dark'||t==='light')document.documentElement.dataset.theme=t}catch(e){}"
].map((src) => `'sha256-${crypto.createHash('sha256').update(src, 'utf8').digest('base64')}'`);

export function contentSecurityPolicy(nonce: string): string {
	return [
		"default-src 'self'",
		`script-src 'self' 'nonce-${nonce}' ${INLINE_SCRIPT_HASHES.join(' ')}`,
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
