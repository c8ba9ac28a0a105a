/**
 * The access check of every request (called by the handle hook in src/hooks.server.ts):
 * looks up the session or the API token, applies ROUTE_ACCESS, and answers 303 → /login,
 * 401, 403 or 429 itself. Routes that get through can rely on locals.user (pages) or
 * apiPrincipal(event) (the /v1 API).
 */
import type { RequestEvent } from '@sveltejs/kit';
import type { Db } from '../db/connection.ts';
import { accessFor, homeFor } from './guard.ts';
import { SESSION_COOKIE, sessionUser, setSessionCookie } from './sessions.ts';
import { apiError } from '../api/errors.ts';
import { principalForToken } from '../api/clients.ts';
import { apiLimiter, setApiPrincipal } from '../api/principal.ts';
import type { TokenBucket } from './rate-limit.ts';
import { loginOutcome } from './login.ts';

export interface AuthDeps {
	getDb(): Promise<Db>;
	apiLimiter?: TokenBucket;
}

type Resolve = (event: RequestEvent) => Response | Promise<Response>;

const BEARER_CHALLENGE = 'Bearer realm="visual-service-api"';

/** The path as SvelteKit's router matches it (decodeURI, so %2F stays a character of a segment). */
function decodedPath(url: URL): string | null {
	try {
		return url.pathname.split('%25').map(decodeURI).join('%25');
	} catch {
		return null;
	}
}

/** JSON rather than a page: the API, JSON endpoints, and fetches that ask for JSON only. */
function wantsJson(event: RequestEvent, path: string): boolean {
	if (path === '/api' || path.startsWith('/api/') || path.startsWith('/v1/')) return true;
	const accept = event.request.headers.get('accept') ?? '';
	return /application\/json/.test(accept) && !/text\/html/.test(accept);
}

function forbiddenPage(lang: 'zh' | 'en', home: string): Response {
	const [title, text, link, out] =
		lang === 'zh'
			? ['无权访问', '您的账户无权打开此页面。', '返回首页', '退出登录']
			: ['Forbidden', 'Your account may not open this page.', 'Back to your start page', 'Sign out'];
	const html = `<!doctype html><html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8"><title>403 ${title}</title></head>
<body><main><h1>403 ${title}</h1><p>${text}</p><p><a href="${home}">${link}</a></p>
<form method="POST" action="/logout"><button>${out}</button></form></main></body></html>`;
	return new Response(html, { status: 403, headers: { 'content-type': 'text/html; charset=utf-8' } });
}

function redirectTo(event: RequestEvent, location: string): Response {
	// Client-side navigation fetches __data.json and expects SvelteKit's JSON redirect.
	if (event.isDataRequest) return new Response(JSON.stringify({ type: 'redirect', location }), { headers: { 'content-type': 'application/json' } });
	return new Response(null, { status: 303, headers: { location } });
}

async function authorizeApi(event: RequestEvent, resolve: Resolve, deps: AuthDeps): Promise<Response> {
	const auth = event.request.headers.get('authorization');
	if (!auth) return apiError(401, 'invalid_token', 'an Authorization: Bearer token is required', { 'www-authenticate': BEARER_CHALLENGE });
	const m = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/.exec(auth.trim());
	const principal = m ? await principalForToken(await deps.getDb(), m[1]) : null;
	if (!principal)
		return apiError(401, 'invalid_token', 'the access token is malformed, unknown, expired or revoked', {
			'www-authenticate': `${BEARER_CHALLENGE}, error="invalid_token"`
		});
	const wait = (deps.apiLimiter ?? apiLimiter).take(`api:${principal.clientId}`);
	if (wait > 0) return apiError(429, 'too_many_requests', 'rate limit exceeded for this client', { 'retry-after': String(wait) });
	setApiPrincipal(event.request, principal);
	return resolve(event);
}

export async function authorize(event: RequestEvent, resolve: Resolve, deps: AuthDeps): Promise<Response> {
	event.locals.user = null;
	const path = decodedPath(event.url);
	if (path === null) return new Response('Bad request', { status: 400 });
	const access = accessFor(path);
	if (access.kind === 'api') return authorizeApi(event, resolve, deps);
	if (access.kind === 'self') return resolve(event);

	const cookie = event.cookies.get(SESSION_COOKIE);
	if (cookie) {
		const s = await sessionUser(await deps.getDb(), cookie);
		if (s) {
			event.locals.user = s.user;
			if (s.renewedUntil) setSessionCookie(event.cookies, event.url, cookie, s.renewedUntil);
		}
	}
	if (access.kind === 'public') {
		const response = await resolve(event);
		const outcome = loginOutcome.get(event.request);
		if (outcome && response.status === 200) {
			const headers = new Headers(response.headers);
			if (outcome.retryAfter) headers.set('retry-after', String(outcome.retryAfter));
			return new Response(response.body, { status: outcome.status, headers });
		}
		return response;
	}

	const user = event.locals.user;
	if (!user) {
		if (wantsJson(event, path)) return apiError(401, 'unauthorized', 'sign in first');
		const next = event.url.pathname + event.url.search;
		return redirectTo(event, `/login?next=${encodeURIComponent(next)}`);
	}
	if (!access.roles.includes(user.role)) {
		if (path === '/' || path === '') return redirectTo(event, homeFor(user.role)); // a seller opening the site root
		if (wantsJson(event, path) || event.isDataRequest) return apiError(403, 'forbidden', 'your role may not open this');
		return forbiddenPage(event.locals.lang, homeFor(user.role));
	}
	return resolve(event);
}
