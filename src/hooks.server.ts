import type { Handle, ServerInit } from '@sveltejs/kit';
import { startServer } from '$lib/server/server-main';

export const init: ServerInit = async () => {
	await startServer();
};

export const handle: Handle = async ({ event, resolve }) => {
	event.locals.user = null;
	const accept = event.request.headers.get('accept-language') ?? '';
	const cookieLang = event.cookies.get('lang');
	event.locals.lang = cookieLang === 'en' || cookieLang === 'zh' ? cookieLang : /^zh/i.test(accept) ? 'zh' : 'en';
	const response = await resolve(event, {
		transformPageChunk: ({ html }) => html.replace('%lang%', event.locals.lang === 'zh' ? 'zh-CN' : 'en')
	});
	response.headers.set('X-Content-Type-Options', 'nosniff');
	response.headers.delete('x-powered-by');
	return response;
};
