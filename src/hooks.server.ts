import type { Handle, ServerInit } from '@sveltejs/kit';
import { dev } from '$app/environment';
import { startServer } from '$lib/server/server-main';
import { getDb } from '$lib/server/app';
import { authorize } from '$lib/server/auth/handle';
import { withSecurityHeaders } from '$lib/server/auth/headers';
import { exemptTokenEndpointFromFormCsrf } from '$lib/server/api/token-endpoint-csrf';

export const init: ServerInit = async () => {
	if (!dev) exemptTokenEndpointFromFormCsrf();
	await startServer();
};

export const handle: Handle = async ({ event, resolve }) => {
	event.locals.user = null;
	const accept = event.request.headers.get('accept-language') ?? '';
	const cookieLang = event.cookies.get('lang');
	event.locals.lang = cookieLang === 'en' || cookieLang === 'zh' ? cookieLang : /^zh/i.test(accept) ? 'zh' : 'en';
	// Access control for every route lives in authorize() and the table in $lib/server/auth/guard.
	const response = await authorize(
		event,
		(e) =>
			resolve(e, {
				transformPageChunk: ({ html }) => html.replace('%lang%', event.locals.lang === 'zh' ? 'zh-CN' : 'en')
			}),
		{ getDb }
	);
	return withSecurityHeaders(response, { https: event.url.protocol === 'https:', csp: !dev, signedIn: event.locals.user !== null });
};
