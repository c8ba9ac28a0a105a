/**
 * Drives the real handle hook (src/hooks.server.ts) and the real /v1 endpoints with
 * RequestEvent-like objects, against an in-memory database — no server, no build.
 */
import type { RequestEvent, ResolveOptions } from '@sveltejs/kit';
import { handle } from '../../../src/hooks.server.ts';
import * as tokenRoute from '../../../src/routes/v1/oauth/token/+server.ts';
import * as listRoute from '../../../src/routes/v1/image/orders/+server.ts';
import * as oneRoute from '../../../src/routes/v1/image/orders/[order_id]/+server.ts';

export const ORIGIN = 'http://127.0.0.1:4173';

export interface Sent {
	status: number;
	headers: Headers;
	text: string;
	json: () => unknown;
	user: RequestEvent['locals']['user'];
	setCookies: { name: string; value: string; opts: Record<string, unknown> }[];
}

export interface Req {
	method?: string;
	headers?: Record<string, string>;
	body?: string;
	cookie?: string;
	address?: string;
	isDataRequest?: boolean;
	/** What the stand-in page route answers (HTML); default a page with a SvelteKit-like bootstrap script. */
	page?: string;
}

const PAGE = `<!doctype html><html lang="%lang%"><body><div>page</div>
<script>
	{
		__sveltekit_abc = { base: '' };
	}
</script><script>__sveltekit_abc.resolve(1, () => [null])</script><script>alert(1)</script></body></html>`;

function dispatch(event: RequestEvent, page: string): Promise<Response> | Response {
	const p = event.url.pathname;
	const ev = event as unknown as Parameters<typeof listRoute.GET>[0];
	if (p === '/v1/oauth/token') {
		if (event.request.method === 'POST') return tokenRoute.POST(ev as never);
		return tokenRoute.fallback(ev as never);
	}
	if (p === '/v1/image/orders') return listRoute.GET(ev);
	const m = /^\/v1\/image\/orders\/([^/]+)$/.exec(p);
	if (m) {
		(event.params as Record<string, string>).order_id = decodeURIComponent(m[1]);
		return oneRoute.GET(ev as never);
	}
	if (p.startsWith('/v1/')) return new Response('{"error":"not_found"}', { status: 404 });
	return new Response(page, { headers: { 'content-type': 'text/html', 'x-sveltekit-page': 'true' } });
}

export async function send(path: string, r: Req = {}): Promise<Sent> {
	const headers = new Headers(r.headers ?? {});
	if (r.cookie) headers.set('cookie', r.cookie);
	const request = new Request(ORIGIN + path, { method: r.method ?? 'GET', headers, body: r.body });
	const jar = new Map<string, string>();
	for (const part of (r.cookie ?? '').split(';')) {
		const [k, ...v] = part.trim().split('=');
		if (k) jar.set(k, v.join('='));
	}
	const setCookies: Sent['setCookies'] = [];
	const event = {
		request,
		url: new URL(request.url),
		params: {},
		route: { id: null },
		locals: { user: null, lang: 'en' },
		isDataRequest: r.isDataRequest ?? false,
		isSubRequest: false,
		getClientAddress: () => r.address ?? '127.0.0.1',
		setHeaders: () => undefined,
		platform: undefined,
		cookies: {
			get: (n: string) => jar.get(n),
			getAll: () => [...jar].map(([name, value]) => ({ name, value })),
			set: (name: string, value: string, opts: Record<string, unknown>) => {
				jar.set(name, value);
				setCookies.push({ name, value, opts });
			},
			delete: (name: string, opts: Record<string, unknown>) => {
				jar.delete(name);
				setCookies.push({ name, value: '', opts });
			},
			serialize: () => ''
		}
	} as unknown as RequestEvent;
	const resolve = async (e: RequestEvent, opts?: ResolveOptions) => {
		const res = await dispatch(e, r.page ?? PAGE);
		if (!opts?.transformPageChunk || !res.headers.get('content-type')?.startsWith('text/html')) return res;
		const html = await opts.transformPageChunk({ html: await res.text(), done: true });
		return new Response(html, res);
	};
	const res = await handle({ event, resolve });
	const text = await res.text();
	return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text), user: event.locals.user, setCookies };
}

export function basic(id: string, secret: string): string {
	return 'Basic ' + Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64');
}

export const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

export async function tokenFor(id: string, secret: string): Promise<string> {
	const r = await send('/v1/oauth/token', { method: 'POST', headers: { ...FORM, authorization: basic(id, secret) }, body: 'grant_type=client_credentials' });
	if (r.status !== 200) throw new Error(`token: ${r.status} ${r.text}`);
	return (r.json() as { access_token: string }).access_token;
}

export const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
