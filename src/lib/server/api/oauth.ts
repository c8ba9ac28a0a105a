/**
 * POST /v1/oauth/token — OAuth 2.0 client credentials grant (RFC 6749 §4.4), client authenticated
 * by HTTP Basic (§2.3.1) or by client_id/client_secret form fields, errors as in §5.2.
 */
import type { Db } from '../db/connection.ts';
import { apiError } from './errors.ts';
import { authenticateClient, issueToken } from './clients.ts';
import { tokenLimiter } from './principal.ts';
import type { TokenBucket } from '../auth/rate-limit.ts';

const REALM = 'Basic realm="visual-service-api", charset="UTF-8"';
/** Set by ./token-endpoint-csrf.ts when it moved the content type out of SvelteKit's CSRF check. */
export const MOVED_CONTENT_TYPE = 'x-oauth-content-type';
const MAX_BODY = 4096;

function invalidClient(description: string): Response {
	return apiError(401, 'invalid_client', description, { 'www-authenticate': REALM });
}

/** application/x-www-form-urlencoded value: '+' is a space (RFC 6749 appendix B). */
function formDecode(s: string): string | null {
	try {
		return decodeURIComponent(s.replaceAll('+', ' '));
	} catch {
		return null;
	}
}

export async function handleTokenRequest(db: Db, request: Request, limiter: TokenBucket = tokenLimiter): Promise<Response> {
	if (request.method !== 'POST') return apiError(405, 'invalid_request', 'use POST', { allow: 'POST' });
	const type = (request.headers.get(MOVED_CONTENT_TYPE) ?? request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
	if (type !== 'application/x-www-form-urlencoded')
		return apiError(400, 'invalid_request', 'the body must be application/x-www-form-urlencoded');
	const raw = await request.text();
	if (raw.length > MAX_BODY) return apiError(400, 'invalid_request', 'request body too large');
	const form = new URLSearchParams(raw);
	for (const k of new Set(form.keys()))
		if (form.getAll(k).length > 1) return apiError(400, 'invalid_request', `parameter ${k} is repeated`);

	const grant = form.get('grant_type');
	if (!grant) return apiError(400, 'invalid_request', 'grant_type is missing');
	if (grant !== 'client_credentials')
		return apiError(400, 'unsupported_grant_type', 'only grant_type=client_credentials is supported');

	// Client authentication: exactly one method.
	const auth = request.headers.get('authorization');
	const bodyId = form.get('client_id');
	const bodySecret = form.get('client_secret');
	let clientId: string | null;
	let secret: string | null;
	if (auth) {
		if (bodySecret !== null) return apiError(400, 'invalid_request', 'use one client authentication method, not both');
		const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(auth);
		const decoded = m ? Buffer.from(m[1], 'base64').toString('utf8') : '';
		const colon = decoded.indexOf(':');
		if (colon < 0) return invalidClient('malformed HTTP Basic credentials');
		clientId = formDecode(decoded.slice(0, colon));
		secret = formDecode(decoded.slice(colon + 1));
		if (bodyId !== null && bodyId !== clientId) return apiError(400, 'invalid_request', 'client_id differs from the Basic credentials');
	} else {
		clientId = bodyId;
		secret = bodySecret;
	}
	if (!clientId || secret === null || secret === '') return invalidClient('client authentication is missing');
	if (clientId.length > 100 || secret.length > 200) return invalidClient('unknown client or wrong secret');

	const wait = limiter.take(`token:${clientId}`);
	if (wait > 0) return apiError(429, 'too_many_requests', 'too many token requests for this client', { 'retry-after': String(wait) });

	const client = await authenticateClient(db, clientId, secret);
	if (!client) return invalidClient('unknown client, wrong secret, or revoked client');
	const t = await issueToken(db, client.clientId);
	return new Response(JSON.stringify({ access_token: t.token, token_type: 'Bearer', expires_in: t.expiresIn }), {
		status: 200,
		headers: { 'content-type': 'application/json', 'cache-control': 'no-store', pragma: 'no-cache' }
	});
}
