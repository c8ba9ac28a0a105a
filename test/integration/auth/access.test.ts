import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/lib/server/db/connection.ts';
import { setDbForTests } from '../../../src/lib/server/app.ts';
import { createUser } from '../../../src/lib/server/auth/users.ts';
import { createSession, SESSION_COOKIE } from '../../../src/lib/server/auth/sessions.ts';
import { LoginService, loginService, ACCOUNT_FAILURES } from '../../../src/lib/server/auth/login.ts';
import { accessFor, safeNext, scopeFor } from '../../../src/lib/server/auth/guard.ts';
import { sha256hex } from '../../../src/lib/server/auth/secrets.ts';
import { NON_PAGE_CSP, withSecurityHeaders } from '../../../src/lib/server/auth/headers.ts';
import { ensureDemoAccounts } from '../../../src/lib/server/auth/demo.ts';
import { userJob } from '../../../src/lib/server/auth/cli.ts';
import { apiClientJob } from '../../../src/lib/server/api/cli.ts';
import { actions as loginActions } from '../../../src/routes/login/+page.server.ts';
import { TODAY, seededDb } from './fixtures.ts';
import { send, ORIGIN } from './harness.ts';
import type { SessionUser } from '../../../src/lib/server/auth/types.ts';

let db: Db;
const PW = 'correct horse battery';
const users: Record<'ops' | 'finance' | 'seller', SessionUser> = {} as never;
const cookies: Record<string, string> = {};

beforeAll(async () => {
	process.env.TODAY = TODAY;
	db = await seededDb();
	setDbForTests(db);
	users.ops = await createUser(db, { email: 'Ops@Example.com', role: 'ops', password: PW });
	users.finance = await createUser(db, { email: 'fin@example.com', role: 'finance', password: PW });
	users.seller = await createUser(db, { email: 'a@seller.example', role: 'seller', sellerId: 'S_A', password: PW });
	for (const [k, u] of Object.entries(users)) cookies[k] = `${SESSION_COOKIE}=${(await createSession(db, u.id)).value}`;
});
afterAll(async () => {
	await db.close();
});

describe('accounts', () => {
	it('stores argon2id hashes, lower-cases e-mails, and ties seller accounts to a real seller', async () => {
		const r = await db.one<{ email: string; password_hash: string }>('SELECT email, password_hash FROM users WHERE user_id = $id', { id: users.ops.id });
		expect(r?.email).toBe('ops@example.com');
		expect(r?.password_hash).toMatch(/^\$argon2id\$/);
		expect(r?.password_hash).not.toContain(PW);
		await expect(createUser(db, { email: 'x@example.com', role: 'seller', password: PW })).rejects.toThrow();
		await expect(createUser(db, { email: 'y@example.com', role: 'ops', sellerId: 'S_A', password: PW })).rejects.toThrow();
		await expect(createUser(db, { email: 'z@example.com', role: 'seller', sellerId: 'NOPE', password: PW })).rejects.toThrow(/no seller/);
		await expect(createUser(db, { email: 'OPS@example.com', role: 'ops', password: PW })).rejects.toThrow(/exists/);
		await expect(createUser(db, { email: 'short@example.com', role: 'ops', password: 'short' })).rejects.toThrow();
	});

	it('keeps only the hash of the session cookie', async () => {
		const s = await createSession(db, users.ops.id);
		expect(await db.one('SELECT 1 AS ok FROM sessions WHERE session_hash = $h', { h: sha256hex(s.value) })).toBeDefined();
		expect(await db.one('SELECT 1 AS ok FROM sessions WHERE session_hash = $h', { h: s.value })).toBeUndefined();
	});
});

describe('the route-access table, enforced by the handle hook', () => {
	const pages: [string, string, number | string][] = [
		// [who, path, expected status or redirect target]
		['anon', '/', '/login?next=%2F'],
		['anon', '/finance/2026-10?x=1', '/login?next=%2Ffinance%2F2026-10%3Fx%3D1'],
		['anon', '/seller/orders/A01', '/login?next=%2Fseller%2Forders%2FA01'],
		['anon', '/login', 200],
		['anon', '/healthz', 200],
		['anon', '/openapi.yaml', 200],
		['seller', '/seller', 200],
		['seller', '/seller/orders/A01', 200],
		['seller', '/', '/seller'],
		['seller', '/finance', 403],
		['seller', '/finance/bills/S_B', 403],
		['seller', '/data', 403],
		['seller', '/orders/B01', 403],
		['seller', '/providers', 403],
		['seller', '/sellers/S_B', 403], // not the portal: '/seller' matches whole segments only
		['seller', '/%73eller/..%2Ffinance', 200], // the router sees /seller/..%2Ffinance: inside the portal
		['seller', '/seller%2F..%2Ffinance', 403], // the router sees one segment 'seller%2F..%2Ffinance': not the portal
		['seller', '/%66inance', 403],
		['finance', '/', 200],
		['finance', '/finance', 200],
		['finance', '/data', 403],
		['finance', '/seller', 403],
		['ops', '/', 200],
		['ops', '/finance', 200],
		['ops', '/data/loads', 200],
		['ops', '/seller', 403]
	];
	for (const [who, path, want] of pages)
		it(`${who} → ${path} → ${want}`, async () => {
			const r = await send(path, { cookie: who === 'anon' ? undefined : cookies[who] });
			if (typeof want === 'number') expect(r.status).toBe(want);
			else {
				expect(r.status).toBe(303);
				expect(r.headers.get('location')).toBe(want);
			}
			if (r.status === 403) expect(r.text).not.toContain('<div>page</div>');
		});

	it('answers 401 JSON, not a redirect, to API-like requests without a session', async () => {
		for (const [path, headers] of [
			['/api/metrics', {}],
			['/orders/B01', { accept: 'application/json' }]
		] as const) {
			const r = await send(path, { headers });
			expect(r.status).toBe(401);
			expect(r.json()).toMatchObject({ error: 'unauthorized' });
		}
		const forbidden = await send('/api/finance', { cookie: cookies.seller });
		expect(forbidden.status).toBe(403);
		expect(forbidden.json()).toMatchObject({ error: 'forbidden' });
	});

	it("gives SvelteKit's client a JSON redirect for data requests", async () => {
		const r = await send('/finance', { isDataRequest: true });
		expect(r.status).toBe(200);
		expect(r.json()).toEqual({ type: 'redirect', location: '/login?next=%2Ffinance' });
	});

	it('signs nobody in with an unknown, expired or forged cookie', async () => {
		const old = await createSession(db, users.ops.id, new Date(Date.now() - 13 * 3600_000));
		for (const c of [`${SESSION_COOKIE}=${old.value}`, `${SESSION_COOKIE}=nope`, `${SESSION_COOKIE}=' OR 1=1 --`, `${SESSION_COOKIE}=${sha256hex('x')}`]) {
			const r = await send('/', { cookie: c });
			expect(r.status).toBe(303);
			expect(r.user).toBeNull();
		}
	});

	it('maps the table as documented', () => {
		expect(accessFor('/v1/oauth/token').kind).toBe('public');
		expect(accessFor('/v1/image/orders').kind).toBe('api');
		expect(accessFor('/internal/jobs/ingest').kind).toBe('self');
		expect(accessFor('/login/x').kind).toBe('public');
		expect(accessFor('/loginx')).toEqual({ kind: 'roles', roles: ['ops', 'finance'] });
	});

	it('scopes sellers to their seller_id and nobody else', () => {
		expect(scopeFor(users.seller)).toEqual({ sellerId: 'S_A' });
		expect(scopeFor(users.ops)).toEqual({ sellerId: null });
		expect(scopeFor(users.finance)).toEqual({ sellerId: null });
		expect(() => scopeFor({ ...users.seller, sellerId: null })).toThrow();
	});

	it('follows only same-site next targets the user may open', () => {
		expect(safeNext('/finance?m=2026-10', users.finance)).toBe('/finance?m=2026-10');
		for (const bad of ['//evil.example/x', '/\\evil.example', 'https://evil.example', 'javascript:alert(1)', '/finance', '/login'])
			expect(safeNext(bad, users.seller)).toBe('/seller');
		expect(safeNext(null, users.ops)).toBe('/');
	});
});

describe('security headers', () => {
	it('gives non-page responses a deny-all CSP and leaves a page CSP (from SvelteKit) alone', () => {
		const r = withSecurityHeaders(new Response('{}'), { https: true, csp: true, signedIn: false });
		expect(r.headers.get('content-security-policy')).toBe(NON_PAGE_CSP);
		expect(r.headers.get('strict-transport-security')).toMatch(/max-age/);
		const kitCsp = "default-src 'self'; script-src 'self' 'nonce-abc'";
		const page = withSecurityHeaders(new Response('<html>', { headers: { 'content-security-policy': kitCsp } }), { https: false, csp: true, signedIn: false });
		expect(page.headers.get('content-security-policy')).toBe(kitCsp);
		expect(page.headers.get('strict-transport-security')).toBeNull();
	});

	it('sets frame and sniffing protection, no banners, on pages through the hook', async () => {
		const r = await send('/login');
		expect(r.headers.get('x-content-type-options')).toBe('nosniff');
		expect(r.headers.get('x-frame-options')).toBe('DENY');
		expect(r.headers.get('referrer-policy')).toBe('same-origin');
		expect(r.headers.get('x-sveltekit-page')).toBeNull();
		expect(r.headers.get('x-powered-by')).toBeNull();
		expect(r.text).toContain('<html lang="en">');
	});

	it('sets them on API errors and redirects too, and no-store behind a sign-in', async () => {
		for (const r of [await send('/v1/image/orders'), await send('/finance')]) {
			expect(r.headers.get('x-content-type-options')).toBe('nosniff');
			expect(r.headers.get('x-frame-options')).toBe('DENY');
		}
		expect((await send('/', { cookie: cookies.ops })).headers.get('cache-control')).toBe('private, no-store');
	});
});

function loginEvent(form: Record<string, string>, address = '10.0.0.1') {
	const set: { name: string; value: string; opts: Record<string, unknown> }[] = [];
	const headers: Record<string, string> = {};
	const event = {
		request: new Request(`${ORIGIN}/login`, { method: 'POST', body: new URLSearchParams(form) }),
		url: new URL(`${ORIGIN}/login`),
		cookies: { set: (name: string, value: string, opts: Record<string, unknown>) => set.push({ name, value, opts }) },
		getClientAddress: () => address,
		setHeaders: (h: Record<string, string>) => Object.assign(headers, h),
		locals: { user: null, lang: 'en' }
	};
	return { event: event as never, set, headers };
}

async function postLogin(form: Record<string, string>, address?: string) {
	const { event, set, headers } = loginEvent(form, address);
	try {
		const r = (await loginActions.default(event)) as { status: number; data: Record<string, unknown> };
		return { status: r.status, data: r.data, set, headers, location: null as string | null };
	} catch (e) {
		const x = e as { status: number; location: string };
		if (x.status === 303) return { status: 303, data: {}, set, headers, location: x.location };
		throw e;
	}
}

describe('sign-in', () => {
	beforeEach(() => {
		loginService.perAccount.reset();
		loginService.perAddress.reset();
	});

	it('sets an HttpOnly, SameSite=Lax session cookie and follows next', async () => {
		const r = await postLogin({ email: 'A@Seller.example', password: PW, next: '/seller/orders/A01' });
		expect(r.status).toBe(303);
		expect(r.location).toBe('/seller/orders/A01');
		expect(r.set[0]).toMatchObject({ name: SESSION_COOKIE, opts: { httpOnly: true, sameSite: 'lax', secure: false, path: '/' } });
		const page = await send('/seller', { cookie: `${SESSION_COOKIE}=${r.set[0].value}` });
		expect(page.status).toBe(200);
		expect(page.user).toMatchObject({ role: 'seller', sellerId: 'S_A' });
	});

	it('refuses a wrong password with the same answer as an unknown e-mail', async () => {
		const a = await postLogin({ email: 'a@seller.example', password: 'wrong password' });
		const b = await postLogin({ email: 'nobody@seller.example', password: 'wrong password' });
		expect(a.status).toBe(400);
		expect(b.status).toBe(400);
		expect(a.data.error).toBe(b.data.error);
		expect(a.set).toEqual([]);
	});

	it('throttles repeated bad passwords per account with 429 and Retry-After, even for the right one next', async () => {
		for (let i = 0; i < ACCOUNT_FAILURES; i++) expect((await postLogin({ email: 'fin@example.com', password: `guess ${i}xx` }, `10.1.0.${i}`)).status).toBe(400);
		const r = await postLogin({ email: 'fin@example.com', password: PW }, '10.1.1.1');
		expect(r.status).toBe(429);
		expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
		expect(r.set).toEqual([]);
		// other accounts from other addresses are not affected
		expect((await postLogin({ email: 'ops@example.com', password: PW }, '10.2.0.1')).status).toBe(303);
	});

	it('throttles one address trying many accounts', async () => {
		const svc = new LoginService();
		let last;
		for (let i = 0; i < 31; i++) last = await svc.attempt(db, `user${i}@example.com`, 'wrong password', '10.9.9.9');
		expect(last).toMatchObject({ kind: 'throttled' });
		expect((await svc.attempt(db, 'ops@example.com', PW, '10.9.9.10')).kind).toBe('ok');
	});

	it('lets the account try again once the window has passed', async () => {
		let t = 1_000_000;
		const svc = new LoginService(() => t);
		for (let i = 0; i < ACCOUNT_FAILURES; i++) await svc.attempt(db, 'ops@example.com', 'wrong password', '10.3.0.1');
		const blocked = await svc.attempt(db, 'ops@example.com', PW, '10.3.0.1');
		expect(blocked).toMatchObject({ kind: 'throttled' });
		t += (blocked as { retryAfter: number }).retryAfter * 1000;
		expect((await svc.attempt(db, 'ops@example.com', PW, '10.3.0.1')).kind).toBe('ok');
	});

	it('signs out: the session row is gone and the cookie no longer works', async () => {
		const s = await createSession(db, users.finance.id);
		const { POST } = await import('../../../src/routes/logout/+server.ts');
		const deleted: string[] = [];
		const ev = { url: new URL(`${ORIGIN}/logout`), cookies: { get: () => s.value, delete: (n: string) => deleted.push(n) } };
		await expect(POST(ev as never)).rejects.toMatchObject({ status: 303, location: '/login' });
		expect(deleted).toEqual([SESSION_COOKIE]);
		expect((await send('/', { cookie: `${SESSION_COOKIE}=${s.value}` })).status).toBe(303);
	});
});

describe('demo accounts and the CLI jobs', () => {
	const ctx = (argv: string[], env: Record<string, string> = {}) => {
		const out: string[] = [];
		const err: string[] = [];
		return { c: { db, argv, cwd: '.', actor: 'test', tty: false, env, out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
	};

	it('creates one account per role, the seller being the one with most orders, once', async () => {
		const first = await ensureDemoAccounts(db);
		expect(first.map((a) => [a.role, a.sellerId])).toEqual([
			['ops', null],
			['finance', null],
			['seller', 'S_A']
		]);
		const again = await ensureDemoAccounts(db);
		expect(again).toEqual(first);
		expect((await db.one<{ n: number }>("SELECT count(*) AS n FROM users WHERE email LIKE '%@demo.local'"))?.n).toBe(3);
		const svc = new LoginService();
		for (const a of first) expect((await svc.attempt(db, a.email, a.password, '10.4.0.1')).kind).toBe('ok');
	});

	it('npm run user -- add reads PASSWORD and refuses duplicates and bad roles', async () => {
		const ok = ctx(['add', '--email', 'new@example.com', '--role', 'seller', '--seller', 'S_B'], { PASSWORD: 'a long password' });
		expect(await userJob(ok.c)).toBe(0);
		expect(ok.out.join()).toContain('new@example.com');
		expect(await userJob(ctx(['add', '--email', 'new@example.com', '--role', 'seller', '--seller', 'S_B'], { PASSWORD: 'a long password' }).c)).toBe(1);
		expect(await userJob(ctx(['add', '--email', 'r@example.com', '--role', 'admin'], { PASSWORD: 'a long password' }).c)).toBe(2);
		expect(await userJob(ctx(['add', '--email', 'p@example.com', '--role', 'ops']).c)).toBe(2); // no password
	});

	it('npm run api-client -- add prints an id and secret; revoke stops the client', async () => {
		const add = ctx(['add', '--seller', 'S_C', '--json']);
		expect(await apiClientJob(add.c)).toBe(0);
		const { client_id, client_secret } = JSON.parse(add.out[0]);
		expect(client_secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
		expect((await db.one<{ h: string }>('SELECT secret_hash AS h FROM api_clients WHERE client_id = $c', { c: client_id }))?.h).toBe(sha256hex(client_secret));
		expect(await apiClientJob(ctx(['add', '--seller', 'NOPE']).c)).toBe(1);
		expect(await apiClientJob(ctx(['revoke', client_id]).c)).toBe(0);
		expect(await apiClientJob(ctx(['revoke', client_id]).c)).toBe(1);
	});
});
