import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Db } from '../../../src/lib/server/db/connection.ts';
import { setDbForTests } from '../../../src/lib/server/app.ts';
import { createApiClient, issueToken, revokeApiClient } from '../../../src/lib/server/api/clients.ts';
import { apiLimiter, tokenLimiter } from '../../../src/lib/server/api/principal.ts';
import { getOrder, listOrders, listOrdersBySql, parseListQuery, ORDER_STATUSES } from '../../../src/lib/server/api/orders.ts';
import { Gate } from '../../../src/lib/server/api/gate.ts';
import { formatYuan } from '../../../src/lib/money.ts';
import { sha256hex } from '../../../src/lib/server/auth/secrets.ts';
import { EVIL_ID, EXPECTED_A, NOW, TODAY, seededDb } from './fixtures.ts';
import { FORM, basic, bearer, send, tokenFor } from './harness.ts';

let db: Db;
let A: { clientId: string; secret: string };
let B: { clientId: string; secret: string };

beforeAll(async () => {
	process.env.TODAY = TODAY;
	db = await seededDb();
	setDbForTests(db);
	A = await createApiClient(db, 'S_A', 'test');
	B = await createApiClient(db, 'S_B', 'test');
});
afterAll(async () => {
	await db.close();
});
beforeEach(() => {
	apiLimiter.reset();
	tokenLimiter.reset();
});

type Page = { data: { order_id: string; seller_id: string; status: string; updated_at: string; charge: unknown }[]; next_cursor: string | null };

describe('POST /v1/oauth/token', () => {
	it('issues a one-hour bearer token to a client authenticated by HTTP Basic, storing only its hash', async () => {
		const r = await send('/v1/oauth/token', { method: 'POST', headers: { ...FORM, authorization: basic(A.clientId, A.secret) }, body: 'grant_type=client_credentials' });
		expect(r.status).toBe(200);
		const body = r.json() as { access_token: string; token_type: string; expires_in: number };
		expect(body.token_type).toBe('Bearer');
		expect(body.expires_in).toBe(3600);
		expect(r.headers.get('cache-control')).toBe('no-store');
		const row = await db.one<{ token_hash: string; secs: number }>(
			'SELECT token_hash, epoch(expires_at) - epoch(issued_at) AS secs FROM api_tokens WHERE token_hash = $h',
			{ h: sha256hex(body.access_token) }
		);
		expect(row?.secs).toBe(3600);
		expect(await db.one('SELECT 1 FROM api_tokens WHERE token_hash = $t', { t: body.access_token })).toBeUndefined();
		const client = await db.one<{ secret_hash: string }>('SELECT secret_hash FROM api_clients WHERE client_id = $c', { c: A.clientId });
		expect(client?.secret_hash).toBe(sha256hex(A.secret));
	});

	it('accepts the credentials as form fields', async () => {
		const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: A.clientId, client_secret: A.secret }).toString();
		const r = await send('/v1/oauth/token', { method: 'POST', headers: FORM, body });
		expect(r.status).toBe(200);
	});

	it('reads the content type moved aside for the CSRF exemption', async () => {
		const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: A.clientId, client_secret: A.secret }).toString();
		const r = await send('/v1/oauth/token', { method: 'POST', headers: { 'x-oauth-content-type': FORM['content-type'] }, body });
		expect(r.status).toBe(200);
	});

	const cases: [string, Record<string, string>, string, number, string][] = [
		['wrong secret over Basic', { authorization: 'WRONG' }, 'grant_type=client_credentials', 401, 'invalid_client'],
		['no client authentication', {}, 'grant_type=client_credentials', 401, 'invalid_client'],
		['unknown client in the form', {}, 'grant_type=client_credentials&client_id=nobody&client_secret=x', 401, 'invalid_client'],
		['malformed Basic', { authorization: 'Basic !!!' }, 'grant_type=client_credentials', 401, 'invalid_client'],
		['missing grant_type', { authorization: 'GOOD' }, 'client_id=x', 400, 'invalid_request'],
		['password grant', { authorization: 'GOOD' }, 'grant_type=password&username=a&password=b', 400, 'unsupported_grant_type'],
		['repeated parameter', { authorization: 'GOOD' }, 'grant_type=client_credentials&grant_type=client_credentials', 400, 'invalid_request'],
		['two authentication methods', { authorization: 'GOOD' }, 'grant_type=client_credentials&client_secret=x', 400, 'invalid_request']
	];
	for (const [name, h, body, status, error] of cases)
		it(`answers ${status} ${error} for ${name}`, async () => {
			const headers: Record<string, string> = { ...FORM };
			if (h.authorization === 'WRONG') headers.authorization = basic(A.clientId, 'wrong-secret');
			else if (h.authorization === 'GOOD') headers.authorization = basic(A.clientId, A.secret);
			else if (h.authorization) headers.authorization = h.authorization;
			const r = await send('/v1/oauth/token', { method: 'POST', headers, body });
			expect(r.status).toBe(status);
			expect((r.json() as { error: string }).error).toBe(error);
			expect(typeof (r.json() as { error_description: string }).error_description).toBe('string');
			if (status === 401) expect(r.headers.get('www-authenticate')).toMatch(/^Basic /);
		});

	it('refuses a JSON body (RFC 6749 asks for a form)', async () => {
		const r = await send('/v1/oauth/token', {
			method: 'POST',
			headers: { 'content-type': 'application/json', authorization: basic(A.clientId, A.secret) },
			body: '{"grant_type":"client_credentials"}'
		});
		expect(r.status).toBe(400);
		expect((r.json() as { error: string }).error).toBe('invalid_request');
	});

	it('answers GET with 405', async () => {
		expect((await send('/v1/oauth/token')).status).toBe(405);
	});
});

describe('GET /v1/image/orders', () => {
	it("lists exactly the caller's orders with the hand-worked status, updated_at and charge", async () => {
		const t = await tokenFor(A.clientId, A.secret);
		const r = await send('/v1/image/orders', { headers: bearer(t) });
		expect(r.status).toBe(200);
		const page = r.json() as Page;
		expect(page.next_cursor).toBeNull();
		const got = Object.fromEntries(page.data.map((o) => [o.order_id, { status: o.status, updated_at: o.updated_at }]));
		expect(got).toEqual(EXPECTED_A);
		const a04 = page.data.find((o) => o.order_id === 'A04')!;
		// jewelry main, rush, licence: 139 × 1.42 × 1.5 × 0.77 = 227.9739 → 227.97; one language × one image = 35.00
		expect(a04.charge).toEqual({ image_fee: '227.97', language_fee: '35.00', total: '262.97', currency: 'CNY' });
		expect(a04).toMatchObject({ seller_id: 'S_A', provider_id: 'P1', sku_id: 'SKU-A04', category: 'jewelry', image_type: 'main', image_count: 1, published_at: '2026-10-10T10:00:00+08:00' });
		// ordered by (updated_at, order_id): A07 and A09 share 11-26 10:00
		const keys = page.data.map((o) => [Date.parse(o.updated_at), o.order_id] as const);
		expect([...keys].sort((x, y) => x[0] - y[0] || (x[1] < y[1] ? -1 : 1))).toEqual(keys);
		expect(page.data.map((o) => o.order_id).indexOf('A07')).toBe(page.data.map((o) => o.order_id).indexOf('A09') - 1);
	});

	it('filters by status and updated_since (inclusive; an unencoded + is read back)', async () => {
		const t = await tokenFor(A.clientId, A.secret);
		const s = (await send('/v1/image/orders?status=accepted,in_revision', { headers: bearer(t) })).json() as Page;
		expect(s.data.map((o) => o.order_id).sort()).toEqual(['A05', 'A06', 'A08', 'A11']);
		for (const since of ['2026-11-25T10:00:00%2B08:00', '2026-11-25T10:00:00+08:00', '2026-11-25T02:00:00Z', '2026-11-25%2010:00:00']) {
			const u = (await send(`/v1/image/orders?updated_since=${since}`, { headers: bearer(t) })).json() as Page;
			expect(u.data.map((o) => o.order_id)).toEqual(['A03', 'A12', 'A07', 'A09', 'A10']);
		}
	});

	it('pages with the cursor: every order exactly once, in a stable order, for every page size', async () => {
		const t = await tokenFor(A.clientId, A.secret);
		const all = ((await send('/v1/image/orders', { headers: bearer(t) })).json() as Page).data.map((o) => o.order_id);
		for (let limit = 1; limit <= 13; limit++) {
			apiLimiter.reset();
			const seen: string[] = [];
			let cursor: string | null = null;
			let pages = 0;
			do {
				const q: string = `?limit=${limit}` + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : '');
				const p = (await send('/v1/image/orders' + q, { headers: bearer(t) })).json() as Page;
				expect(p.data.length).toBeLessThanOrEqual(limit);
				seen.push(...p.data.map((o) => o.order_id));
				cursor = p.next_cursor;
				pages++;
			} while (cursor && pages < 50);
			expect(seen).toEqual(all);
		}
	});

	it('rejects limit 501 (and 0, -1, 1e3, x) with a 400 error JSON; accepts 500', async () => {
		const t = await tokenFor(A.clientId, A.secret);
		for (const l of ['501', '0', '-1', '1e3', 'x', '']) {
			const r = await send(`/v1/image/orders?limit=${l}`, { headers: bearer(t) });
			expect(r.status, l).toBe(400);
			expect(r.json()).toMatchObject({ error: 'invalid_request', error_description: expect.any(String) });
		}
		expect((await send('/v1/image/orders?limit=500', { headers: bearer(t) })).status).toBe(200);
	});

	it("answers 404 with nothing of it for another seller's order, 200 for one's own", async () => {
		const tA = await tokenFor(A.clientId, A.secret);
		for (const id of ['B01', 'B02', encodeURIComponent(EVIL_ID)]) {
			const r = await send(`/v1/image/orders/${id}`, { headers: bearer(tA) });
			expect(r.status).toBe(404);
			expect(r.text).not.toMatch(/S_B|SKU-B|B0[12]/);
		}
		const own = await send('/v1/image/orders/A04', { headers: bearer(tA) });
		expect(own.status).toBe(200);
		expect(own.json()).toMatchObject({ order_id: 'A04', status: 'live' });
		const tB = await tokenFor(B.clientId, B.secret);
		const evil = await send(`/v1/image/orders/${encodeURIComponent(EVIL_ID)}`, { headers: bearer(tB) });
		expect(evil.status).toBe(200);
		expect(evil.json()).toMatchObject({ order_id: EVIL_ID, seller_id: 'S_B' });
	});

	it('SQL-looking strings in every parameter answer normally and leak nothing', async () => {
		const t = await tokenFor(A.clientId, A.secret);
		const evil = ["' OR '1'='1", "'; DROP TABLE orders; --", '1 OR 1=1', "A01' UNION SELECT * FROM api_clients --", '%', '\\', '"', ')/*'];
		for (const e of evil) {
			apiLimiter.reset();
			const v = encodeURIComponent(e);
			for (const q of [`status=${v}`, `updated_since=${v}`, `limit=${v}`, `cursor=${v}`, `status=live&updated_since=${v}`]) {
				const r = await send(`/v1/image/orders?${q}`, { headers: bearer(t) });
				expect(r.status, q).toBe(400);
				expect(r.text).not.toMatch(/S_B|vsc_/);
			}
			const one = await send(`/v1/image/orders/${v}`, { headers: bearer(t) });
			expect(one.status).toBe(404);
		}
		expect((await db.one<{ n: number }>('SELECT count(*) AS n FROM orders'))?.n).toBe(15);
	});

	it("a token of seller A never lists seller B's orders, whatever the filters (property)", async () => {
		const cursorOfB = Buffer.from(`1:${Date.parse('2026-01-01') * 1000}:B01`).toString('base64url');
		await fc.assert(
			fc.asyncProperty(
				fc.option(fc.subarray([...ORDER_STATUSES], { minLength: 1 })),
				fc.option(fc.date({ min: new Date('2025-01-01'), max: new Date('2027-01-01'), noInvalidDate: true })),
				fc.integer({ min: 1, max: 500 }),
				fc.option(fc.constantFrom(cursorOfB, Buffer.from("1:0:' OR 1=1 --").toString('base64url'))),
				async (statuses, since, limit, cursor) => {
					const q = new URLSearchParams({ limit: String(limit) });
					if (statuses) q.set('status', statuses.join(','));
					if (since) q.set('updated_since', since.toISOString());
					if (cursor) q.set('cursor', cursor);
					const page = await listOrders(db, 'S_A', parseListQuery(q), NOW);
					for (const o of page.data) expect(o.seller_id).toBe('S_A');
					for (const o of page.data) expect(o.order_id).toMatch(/^A\d\d$/);
				}
			),
			{ numRuns: 60 }
		);
	});

	it('answers 401 to a missing, malformed, unknown, expired or revoked token', async () => {
		const expired = await issueToken(db, A.clientId, new Date(Date.now() - 2 * 3600_000));
		const c = await createApiClient(db, 'S_A', 'test');
		const revokedToken = await tokenFor(c.clientId, c.secret);
		expect((await send('/v1/image/orders', { headers: bearer(revokedToken) })).status).toBe(200);
		expect(await revokeApiClient(db, c.clientId)).toBe(true);
		const variants: Record<string, string>[] = [
			{},
			{ authorization: 'Bearer' },
			{ authorization: 'Bearer ' },
			{ authorization: 'Basic ' + Buffer.from(`${A.clientId}:${A.secret}`).toString('base64') },
			{ authorization: 'Bearer not a token' },
			{ authorization: "Bearer ' OR '1'='1" },
			{ authorization: 'Bearer ' + 'x'.repeat(43) },
			{ authorization: `Bearer ${expired.token}` },
			{ authorization: `Bearer ${revokedToken}` }
		];
		for (const h of variants)
			for (const path of ['/v1/image/orders', '/v1/image/orders/A04', '/v1/nothing-here']) {
				const r = await send(path, { headers: h });
				expect(r.status, `${JSON.stringify(h)} ${path}`).toBe(401);
				expect(r.json()).toMatchObject({ error: 'invalid_token', error_description: expect.any(String) });
				expect(r.headers.get('www-authenticate')).toMatch(/^Bearer /);
				expect(r.text).not.toMatch(/A04|S_A/);
			}
		// a revoked client cannot get a new token either
		const again = await send('/v1/oauth/token', { method: 'POST', headers: { ...FORM, authorization: basic(c.clientId, c.secret) }, body: 'grant_type=client_credentials' });
		expect(again.status).toBe(401);
	});

	it('rate-limits per client: 429 with Retry-After past the burst, other clients unaffected', async () => {
		const tA = await tokenFor(A.clientId, A.secret);
		const tB = await tokenFor(B.clientId, B.secret);
		// fired at once: the bucket (burst 40, 20/s) cannot refill meanwhile
		const sent = await Promise.all(Array.from({ length: 80 }, () => send('/v1/image/orders/A04', { headers: bearer(tA) })));
		const codes = sent.map((r) => r.status);
		expect(codes.filter((c) => c === 200).length).toBeGreaterThanOrEqual(40);
		expect(codes.filter((c) => c === 429).length).toBeGreaterThanOrEqual(20);
		expect(codes.every((c) => c === 200 || c === 429)).toBe(true);
		const limited = sent.find((r) => r.status === 429)!;
		expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
		expect(limited.json()).toMatchObject({ error: 'too_many_requests' });
		expect((await send('/v1/image/orders/B01', { headers: bearer(tB) })).status).toBe(200);
	});
});

describe('speed measures keep the answers', () => {
	it("prices every order like the order_charges view (charges are computed for the page's rows only)", async () => {
		const view = await db.all<{ order_id: string; image_fee: number; language_fee: number; total: number }>(
			"SELECT order_id, image_fee, language_fee, total FROM order_charges WHERE seller_id = 'S_A'"
		);
		expect(view.length).toBeGreaterThan(0);
		const byId = new Map(view.map((v) => [v.order_id, v]));
		for (const limit of [1, 5, 500]) {
			let after: { us: number; id: string } | null = null;
			let seen = 0;
			for (let guard = 0; guard < 50; guard++) {
				const page = await listOrders(db, 'S_A', { statuses: null, sinceUs: null, after, limit }, NOW);
				for (const o of page.data) {
					const v = byId.get(o.order_id);
					expect(o.charge, o.order_id).toEqual(
						v ? { image_fee: formatYuan(v.image_fee), language_fee: formatYuan(v.language_fee), total: formatYuan(v.total), currency: 'CNY' } : null
					);
					expect(await getOrder(db, 'S_A', o.order_id, NOW)).toEqual(o);
				}
				seen += page.data.length;
				if (!page.next_cursor) break;
				const last = page.data[page.data.length - 1];
				after = { us: Date.parse(last.updated_at!) * 1000, id: last.order_id };
			}
			expect(seen).toBe(Object.keys(EXPECTED_A).length);
		}
	});

	it('auto-acceptance is exactly 72 h after delivery: not a microsecond before', async () => {
		const all = (await listOrders(db, 'S_A', { statuses: null, sinceUs: null, after: null, limit: 500 }, NOW)).data;
		const auto = all.filter((o) => o.auto_accepted_at !== null);
		expect(auto.length).toBeGreaterThan(0);
		for (const o of auto) {
			const at = Date.parse(o.auto_accepted_at!);
			expect(at - Date.parse(o.delivered_at!)).toBe(72 * 3600_000);
			const before = await getOrder(db, 'S_A', o.order_id, new Date(at - 1));
			expect(before?.auto_accepted_at).toBeNull();
			expect((await getOrder(db, 'S_A', o.order_id, new Date(at)))?.auto_accepted_at).toBe(o.auto_accepted_at);
		}
	});

	it('a cached token stops working the moment its client is revoked', async () => {
		const c = await createApiClient(db, 'S_A', 'test');
		const t = await tokenFor(c.clientId, c.secret);
		for (let i = 0; i < 3; i++) expect((await send('/v1/image/orders/A04', { headers: bearer(t) })).status).toBe(200);
		expect(await revokeApiClient(db, c.clientId)).toBe(true);
		expect((await send('/v1/image/orders/A04', { headers: bearer(t) })).status).toBe(401);
	});

	it('the API gate runs at most `max` queries at once, in arrival order, and frees its slot on errors', async () => {
		const gate = new Gate(2);
		let active = 0;
		let peak = 0;
		const order: number[] = [];
		const job = (i: number) =>
			gate.run(async () => {
				active++;
				peak = Math.max(peak, active);
				await new Promise((r) => setTimeout(r, 2));
				active--;
				order.push(i);
				if (i === 3) throw new Error('boom');
				return i;
			});
		const results = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => job(i)));
		expect(peak).toBe(2);
		expect(results.filter((r) => r.status === 'rejected').length).toBe(1);
		expect(results.map((r) => (r.status === 'fulfilled' ? r.value : -1))).toEqual([0, 1, 2, -1, 4, 5, 6, 7]);
		expect(gate.queued).toBe(0);
		expect(await gate.run(async () => 'free')).toBe('free');
	});

	it('pages from the in-memory cache exactly as orders.sql pages, at any instant and with any filters (property)', async () => {
		const t0 = NOW.getTime();
		await fc.assert(
			fc.asyncProperty(
				fc.constantFrom('S_A', 'S_B'),
				fc.option(fc.subarray([...ORDER_STATUSES], { minLength: 1 })),
				fc.option(fc.integer({ min: -40, max: 40 })),
				fc.integer({ min: 1, max: 6 }),
				fc.integer({ min: -30 * 24, max: 30 * 24 }),
				async (seller, statuses, sinceDays, limit, hours) => {
					const at = new Date(t0 + hours * 3600_000);
					const sinceUs = sinceDays === null ? null : (t0 + sinceDays * 86400_000) * 1000;
					let after: { us: number; id: string } | null = null;
					for (let guard = 0; guard < 30; guard++) {
						const q = { statuses, sinceUs, after, limit };
						const fromCache = await listOrders(db, seller, q, at);
						const fromSql = await listOrdersBySql(db, seller, q, at);
						expect(fromCache).toEqual(fromSql);
						if (!fromSql.next_cursor) break;
						const last = fromSql.data[fromSql.data.length - 1];
						after = { us: Date.parse(last.updated_at!) * 1000, id: last.order_id };
					}
				}
			),
			{ numRuns: 40 }
		);
	});

	it('sees rows inserted around the loader at once (the cache checks the data version every request)', async () => {
		const before = (await listOrders(db, 'S_B', { statuses: null, sinceUs: null, after: null, limit: 500 }, NOW)).data.length;
		await db.run(`INSERT INTO orders SELECT * REPLACE ('B99' AS order_id, 'SKU-B99' AS sku_id) FROM orders WHERE order_id = 'B01'`);
		try {
			const after = (await listOrders(db, 'S_B', { statuses: null, sinceUs: null, after: null, limit: 500 }, NOW)).data;
			expect(after.length).toBe(before + 1);
			expect(after.map((o) => o.order_id)).toContain('B99');
			expect((await getOrder(db, 'S_B', 'B99', NOW))?.sku_id).toBe('SKU-B99');
			await db.run(`INSERT INTO disputes SELECT * REPLACE ('B99' AS order_id) FROM disputes LIMIT 1`);
			const disputed = await getOrder(db, 'S_B', 'B99', NOW);
			const bySql = (await listOrdersBySql(db, 'S_B', { statuses: null, sinceUs: null, after: null, limit: 500 }, NOW)).data.find((o) => o.order_id === 'B99');
			expect(disputed).toEqual(bySql);
		} finally {
			await db.run(`DELETE FROM disputes WHERE order_id = 'B99'`);
			await db.run(`DELETE FROM orders WHERE order_id = 'B99'`);
		}
		expect((await listOrders(db, 'S_B', { statuses: null, sinceUs: null, after: null, limit: 500 }, NOW)).data.length).toBe(before);
	});
});
