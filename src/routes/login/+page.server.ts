import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/app';
import { loginOutcome, loginService } from '$lib/server/auth/login';
import { safeNext } from '$lib/server/auth/guard';
import { setSessionCookie } from '$lib/server/auth/sessions';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (locals.user) redirect(303, safeNext(url.searchParams.get('next'), locals.user));
	return { next: url.searchParams.get('next') ?? '', lang: locals.lang };
};

export const actions: Actions = {
	default: async ({ request, cookies, url, getClientAddress, setHeaders }) => {
		const form = await request.formData();
		const email = String(form.get('email') ?? '').slice(0, 254);
		const password = String(form.get('password') ?? '').slice(0, 1024);
		const next = String(form.get('next') ?? url.searchParams.get('next') ?? '');
		const r = await loginService.attempt(await getDb(), email, password, getClientAddress());
		if (r.kind === 'throttled') {
			loginOutcome.set(request, { status: 429, retryAfter: r.retryAfter });
			setHeaders({ 'retry-after': String(r.retryAfter) });
			return fail(429, { email, next, error: 'throttled' as const, retryAfter: r.retryAfter });
		}
		if (r.kind === 'invalid') {
			loginOutcome.set(request, { status: 400 });
			return fail(400, { email, next, error: 'invalid' as const, retryAfter: 0 });
		}
		setSessionCookie(cookies, url, r.session.value, r.session.expires);
		redirect(303, safeNext(next, r.user));
	}
};
