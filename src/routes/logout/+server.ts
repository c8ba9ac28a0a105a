import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getDb } from '$lib/server/app';
import { SESSION_COOKIE, clearSessionCookie, deleteSession } from '$lib/server/auth/sessions';

// Sign-out is a POST (a form button), so SvelteKit's CSRF check covers it and a link cannot sign anyone out.
export const POST: RequestHandler = async ({ cookies, url }) => {
	await deleteSession(await getDb(), cookies.get(SESSION_COOKIE));
	clearSessionCookie(cookies, url);
	redirect(303, '/login');
};
