/**
 * Lets ERP systems reach POST /v1/oauth/token with a form body.
 *
 * RFC 6749 requires the token request to be application/x-www-form-urlencoded, and server-side
 * clients (curl, an ERP's HTTP library) send no Origin header. SvelteKit's CSRF check — which
 * stays on for everything else — refuses every form-typed POST whose Origin is not the site's,
 * before any hook runs, and has no per-route switch. The token endpoint uses no cookies, so a
 * forged cross-site request can gain nothing there; for exactly that path we move the content
 * type aside (oauth.ts reads it back from MOVED_CONTENT_TYPE) and label the body with a type the
 * check ignores (the body must keep some content type, or the Node adapter drops it).
 *
 * Installed once by the server's init hook in production builds (the check is off in `vite dev`).
 */
import http from 'node:http';
import { MOVED_CONTENT_TYPE } from './oauth.ts';

export const TOKEN_PATH = '/v1/oauth/token';
let installed = false;

export function exemptTokenEndpointFromFormCsrf(): void {
	if (installed) return;
	installed = true;
	const emit = http.Server.prototype.emit;
	http.Server.prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
		if (event === 'request') {
			const req = args[0] as http.IncomingMessage;
			const path = (req.url ?? '').split('?')[0];
			if (req.method === 'POST' && path === TOKEN_PATH && req.headers['content-type']) {
				req.headers[MOVED_CONTENT_TYPE] = req.headers['content-type'];
				req.headers['content-type'] = 'application/octet-stream';
			}
		}
		return emit.apply(this, [event, ...args] as Parameters<typeof emit>);
	} as typeof emit;
}
