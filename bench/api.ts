/**
 * API benchmark: `clients` distinct ERP clients (each with its own token) read their seller's
 * orders over loopback in plain fetch loops, each paced below its rate limit (20 req/s, burst 40),
 * bounded in time and in count. Any 429 or non-2xx counts as an error. Meanwhile /healthz is
 * probed to show the dashboard server still answers.
 *
 *   const creds = await createBenchClients(db, 50);        // while your process holds the database
 *   const r = await benchApi({ baseUrl: 'http://127.0.0.1:3000', clients: 50, seconds: 10, credentials: creds });
 *   await revokeBenchClients(db, creds);
 *
 * (or pass `db` instead of `credentials` when the server runs in this process on that Db).
 */
import type { Db } from '../src/lib/server/db/connection.ts';
import { createApiClient, revokeApiClient } from '../src/lib/server/api/clients.ts';
import { API_RATE } from '../src/lib/server/api/principal.ts';

export interface ApiCredential {
	clientId: string;
	secret: string;
	sellerId: string;
}

export interface ApiBenchOptions {
	baseUrl: string;
	clients?: number;
	seconds: number;
	credentials?: ApiCredential[];
	db?: Db;
	/** Requests a second per client (default half the limit: 10). */
	perClientRps?: number;
	/** Upper bound of requests per client (default perClientRps × seconds + 10). */
	maxRequestsPerClient?: number;
	/** Page size of the list requests (default 100). */
	limit?: number;
}

export interface ApiBenchResult {
	clients: number;
	seconds: number;
	requests: number;
	requestsPerSecond: number;
	p50Ms: number;
	p95Ms: number;
	maxMs: number;
	errors: number;
	errorsByStatus: Record<string, number>;
	rateLimited: number;
	crossSellerRows: number;
	dashboard: { probes: number; failures: number; p95Ms: number; maxMs: number };
}

/** One API client for each of the n sellers with the most orders. */
export async function createBenchClients(db: Db, n: number): Promise<ApiCredential[]> {
	const sellers = await db.all<{ seller_id: string }>(
		'SELECT seller_id FROM orders GROUP BY seller_id ORDER BY count(*) DESC, seller_id LIMIT $n',
		{ n }
	);
	if (sellers.length < n) throw new Error(`only ${sellers.length} sellers with orders; the API bench wants ${n}`);
	const out: ApiCredential[] = [];
	for (const s of sellers) {
		const c = await createApiClient(db, s.seller_id, 'bench');
		out.push({ clientId: c.clientId, secret: c.secret, sellerId: s.seller_id });
	}
	return out;
}

export async function revokeBenchClients(db: Db, creds: ApiCredential[]): Promise<void> {
	for (const c of creds) await revokeApiClient(db, c.clientId);
}

function quantile(sorted: number[], q: number): number {
	if (!sorted.length) return 0;
	return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function benchApi(opts: ApiBenchOptions): Promise<ApiBenchResult> {
	const n = opts.clients ?? 50;
	const rps = Math.min(opts.perClientRps ?? API_RATE.perSecond / 2, API_RATE.perSecond * 0.9);
	const maxReq = opts.maxRequestsPerClient ?? Math.ceil(rps * opts.seconds) + 10;
	const limit = opts.limit ?? 100;
	let creds = opts.credentials;
	let created = false;
	if (!creds) {
		if (!opts.db) throw new Error('benchApi needs credentials, or a db to create them in');
		creds = await createBenchClients(opts.db, n);
		created = true;
	}
	if (creds.length < n) throw new Error(`benchApi: ${n} clients wanted, ${creds.length} credentials given`);
	const base = opts.baseUrl.replace(/\/$/, '');
	const latencies: number[] = [];
	const errorsByStatus: Record<string, number> = {};
	let rateLimited = 0;
	let crossSellerRows = 0;
	const fail = (key: string) => (errorsByStatus[key] = (errorsByStatus[key] ?? 0) + 1);

	// Tokens first (not timed: the run measures the order endpoints).
	const tokens = await Promise.all(
		creds.slice(0, n).map(async (c) => {
			const r = await fetch(`${base}/v1/oauth/token`, {
				method: 'POST',
				headers: {
					'content-type': 'application/x-www-form-urlencoded',
					authorization: 'Basic ' + Buffer.from(`${encodeURIComponent(c.clientId)}:${encodeURIComponent(c.secret)}`).toString('base64')
				},
				body: 'grant_type=client_credentials'
			});
			if (!r.ok) throw new Error(`token for ${c.clientId}: HTTP ${r.status} ${await r.text()}`);
			return ((await r.json()) as { access_token: string }).access_token;
		})
	);

	const started = performance.now();
	const deadline = started + opts.seconds * 1000;
	let stop = false;

	const probe = async () => {
		const lat: number[] = [];
		let failures = 0;
		while (!stop) {
			const t0 = performance.now();
			try {
				const r = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(5000) });
				if (!r.ok) failures++;
				await r.arrayBuffer();
			} catch {
				failures++;
			}
			lat.push(performance.now() - t0);
			await sleep(250);
		}
		lat.sort((a, b) => a - b);
		return { probes: lat.length, failures, p95Ms: quantile(lat, 0.95), maxMs: lat[lat.length - 1] ?? 0 };
	};

	const client = async (i: number) => {
		const auth = { authorization: `Bearer ${tokens[i]}` };
		const seller = creds![i].sellerId;
		let cursor: string | null = null;
		let ids: string[] = [];
		const gap = 1000 / rps;
		await sleep((i / n) * gap); // spread the clients' first requests
		for (let k = 0; k < maxReq && performance.now() < deadline; k++) {
			const t0 = performance.now();
			// Two list pages (following the cursor) for every single-order read.
			const single = k % 3 === 2 && ids.length > 0;
			const url = single
				? `${base}/v1/image/orders/${encodeURIComponent(ids[k % ids.length])}`
				: `${base}/v1/image/orders?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
			try {
				const r = await fetch(url, { headers: auth, signal: AbortSignal.timeout(30_000) });
				const body = await r.text();
				latencies.push(performance.now() - t0);
				if (r.status === 429) rateLimited++;
				if (!r.ok) fail(String(r.status));
				else if (single) {
					if ((JSON.parse(body) as { seller_id: string }).seller_id !== seller) crossSellerRows++;
				} else {
					const page = JSON.parse(body) as { data: { order_id: string; seller_id: string }[]; next_cursor: string | null };
					crossSellerRows += page.data.filter((o) => o.seller_id !== seller).length;
					if (page.data.length) ids = page.data.map((o) => o.order_id);
					cursor = page.next_cursor;
				}
			} catch (e) {
				latencies.push(performance.now() - t0);
				fail((e as Error).name || 'network');
			}
			const wait = t0 + gap - performance.now();
			if (wait > 0) await sleep(wait);
		}
	};

	const probing = probe();
	await Promise.all(Array.from({ length: n }, (_, i) => client(i)));
	stop = true;
	const dashboard = await probing;
	const elapsed = (performance.now() - started) / 1000;
	if (created && opts.db) await revokeBenchClients(opts.db, creds);
	latencies.sort((a, b) => a - b);
	const errors = Object.values(errorsByStatus).reduce((a, b) => a + b, 0);
	return {
		clients: n,
		seconds: Math.round(elapsed * 10) / 10,
		requests: latencies.length,
		requestsPerSecond: Math.round(latencies.length / elapsed),
		p50Ms: Math.round(quantile(latencies, 0.5) * 10) / 10,
		p95Ms: Math.round(quantile(latencies, 0.95) * 10) / 10,
		maxMs: Math.round((latencies[latencies.length - 1] ?? 0) * 10) / 10,
		errors,
		errorsByStatus,
		rateLimited,
		crossSellerRows,
		dashboard
	};
}
