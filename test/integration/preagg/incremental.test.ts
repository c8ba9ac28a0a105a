/**
 * Pre-aggregates stay equal to a full recompute across loads: load a sample folder, then a second
 * folder that changes orders (image count, form flag), adds revisions and an earlier order of a
 * seller (first_order moves), renames sellers and changes CTR days inside order windows. The hook
 * refreshes only what the load touched; the result must equal rebuildPreaggregates. Then every
 * metric answers the same from the pre-aggregates as from the raw tables.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/lib/server/db/connection.ts';
import { twoLoadDirs, type TwoLoads } from './two-loads.ts';
import { openProjectDb } from '../../../src/lib/server/db/open.ts';
import { ingestFolder } from '../../../src/lib/server/ingest/index.ts';
import { writeSample } from '../../../src/lib/server/sample/index.ts';
import { preaggFresh, rebuildPreaggregates, ensurePreaggregates } from '../../../src/lib/server/preagg/index.ts';
import { runMetric } from '../../../src/lib/server/metrics/run.ts';
import { orderStory } from '../../../src/lib/server/metrics/order-story.ts';
import { incentiveDecisions } from '../../../src/lib/server/metrics/incentives.ts';
import type { MetricRequest } from '../../../src/lib/server/metrics/request.ts';

let db: Db;
let f: TwoLoads;
const src = (t: string) => f.src(t);
const ts = (e: string) => `strftime(${e}, '%Y-%m-%dT%H:%M:%S+08:00')`;

const round = (v: unknown): unknown => {
	if (typeof v === 'number') return Number.isInteger(v) ? v : Number(v.toPrecision(10));
	if (Array.isArray(v)) return v.map(round);
	if (v && typeof v === 'object' && !(v instanceof Date)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, round(x)]));
	return v;
};

async function snapshot(): Promise<{ facts: unknown[]; windows: unknown[] }> {
	return {
		facts: await db.all('SELECT * FROM order_facts ORDER BY order_id'),
		windows: await db.all('SELECT * FROM order_windows ORDER BY order_id')
	};
}

beforeAll(async () => {
	f = twoLoadDirs('preagg-incr-');
	await writeSample({ scale: 0.05, seed: 5, asOf: '2026-11-15', out: f.one });
	db = await openProjectDb({ path: ':memory:' });
	const r1 = await ingestFolder(db, f.one, { loadsDir: f.loadsDir });
	expect(r1.status).toBe('ok');
	// The second folder, derived from the first with DuckDB (text columns copied as read).
	const copy = (t: string, sql: string) => f.copy(db, t, sql);
	await copy(
		'orders',
		`(SELECT * REPLACE ((image_count::INTEGER + 1)::VARCHAR AS image_count, CASE spec_form_filled WHEN 'true' THEN 'false' ELSE 'true' END AS spec_form_filled)
		 FROM ${src('orders')} WHERE live_at IS NOT NULL ORDER BY order_id LIMIT 40 OFFSET 100)
		 UNION ALL
		 (SELECT * REPLACE ('OZNEW1' AS order_id, ${ts(`(SELECT min(published_at::TIMESTAMPTZ) FROM ${src('orders')}) - INTERVAL 1 DAY`)} AS published_at,
		   NULL AS matched_at, NULL AS first_draft_at, NULL AS delivered_at, NULL AS accepted_at, NULL AS live_at, NULL AS cancelled_at)
		 FROM (SELECT * FROM ${src('orders')} ORDER BY order_id DESC LIMIT 1))`
	);
	await copy(
		'revisions',
		`SELECT order_id, ${ts('first_draft_at::TIMESTAMPTZ + INTERVAL 7 MINUTE')} AS requested_at, 'R03' AS reason_code, NULL AS redelivered_at
		 FROM ${src('orders')} WHERE first_draft_at IS NOT NULL AND live_at IS NOT NULL ORDER BY order_id LIMIT 30 OFFSET 300`
	);
	await copy('sellers', `SELECT * REPLACE (name || ' (renamed)' AS name) FROM ${src('sellers')} ORDER BY seller_id LIMIT 5`);
	await copy(
		'ctr_daily',
		`SELECT c.sku_id, c.date, (c.impressions::INTEGER + 1000)::VARCHAR AS impressions, (c.clicks::INTEGER + 60)::VARCHAR AS clicks, c.add_to_cart
		 FROM ${src('ctr_daily')} c
		 WHERE EXISTS (
		   SELECT 1 FROM (SELECT sku_id, live_at::TIMESTAMPTZ::DATE AS l FROM ${src('orders')} WHERE live_at IS NOT NULL ORDER BY order_id LIMIT 25 OFFSET 700) o
		   WHERE o.sku_id = c.sku_id AND c.date::DATE BETWEEN o.l - 3 AND o.l + 3)`
	);
}, 240_000);

afterAll(async () => {
	await db?.close();
	f?.dispose();
});

describe('incremental pre-aggregates', () => {
	it('after a second load equal a full recompute, and the load changed them', async () => {
		const before = await snapshot();
		const r2 = await ingestFolder(db, f.two, { loadsDir: f.loadsDir });
		expect(r2.tables.filter((t) => t.rejected || t.error)).toEqual([]);
		expect(r2.tables.find((t) => t.table === 'orders')).toMatchObject({ loaded: 1, replaced: 40 });
		expect(r2.tables.find((t) => t.table === 'ctr_daily')!.replaced).toBeGreaterThan(50);
		expect(await preaggFresh(db)).toBe(true);
		const incremental = await snapshot();
		await rebuildPreaggregates(db);
		const full = await snapshot();
		expect(incremental.facts).toEqual(full.facts);
		expect(incremental.windows).toEqual(full.windows);
		// the second load did move things: image fees, revisions, names, first_order, window sums
		expect(incremental.facts).not.toEqual(before.facts);
		expect(incremental.windows).not.toEqual(before.windows);
		const newFirst = await db.one<{ first_order: boolean }>(`SELECT first_order FROM order_facts WHERE order_id = 'OZNEW1'`);
		expect(newFirst?.first_order).toBe(true);
		expect(await ensurePreaggregates(db)).toBeNull(); // nothing left to do
	});

	const REQUESTS: MetricRequest[] = [
		{ metric: 'overview', range: { from: '2026-06-01', to: '2026-09-30' }, compare: true },
		{ metric: 'rework', groupBy: 'month', compare: true, range: { from: '2026-01-01', to: '2026-06-30' } },
		{ metric: 'rework', groupBy: 'first_order' },
		{ metric: 'sla', sla: 'on_time_delivery', groupBy: 'provider' },
		{ metric: 'sla_items', sla: 'on_time_delivery', filters: { slaState: ['breached'] }, limit: 50 },
		{ metric: 'ctr', groupBy: 'category' },
		{ metric: 'ctr', groupBy: 'month', range: { column: 'window_closed_on', from: '2026-01-01', to: '2026-10-31' } },
		{ metric: 'ctr_orders', limit: 30, sort: { field: 'ctr_lift', dir: 'desc' } },
		{ metric: 'ctr_did', groupBy: 'category', range: { from: '2026-05-01', to: '2026-08-31' } },
		{ metric: 'volume', groupBy: 'region' },
		{ metric: 'disputes', groupBy: 'ruling' },
		{ metric: 'compensation', groupBy: 'category' }
	];

	it('every metric answers the same from the pre-aggregates as from the raw tables', async () => {
		const opts = { today: '2026-11-15' };
		const all = { sellerId: null };
		const seller = (await db.one<{ s: string }>('SELECT seller_id AS s FROM orders GROUP BY 1 ORDER BY count(*) DESC LIMIT 1'))!.s;
		const anOrder = (await db.one<{ o: string }>(`SELECT order_id AS o FROM orders WHERE live_at IS NOT NULL ORDER BY order_id LIMIT 1 OFFSET 120`))!.o;
		const run = () =>
			Promise.all([
				...REQUESTS.map((r) => runMetric(db, r, all, opts)),
				...REQUESTS.slice(0, 6).map((r) => runMetric(db, r, { sellerId: seller }, opts)),
				orderStory(db, anOrder, all, '2026-11-15'),
				incentiveDecisions(db, { closesInMonth: '2026-09', scope: all })
			]);
		expect(await preaggFresh(db)).toBe(true);
		const pre = await run();
		await db.run(`DELETE FROM preagg_state WHERE key = 'applied_load'`);
		expect(await preaggFresh(db)).toBe(false);
		const raw = await run();
		// DuckDB sums floats (avg of hours) in parallel, in no fixed order: compare to 10 significant digits.
		expect(round(pre)).toEqual(round(raw));
		expect(await ensurePreaggregates(db)).not.toBeNull();
		expect(await preaggFresh(db)).toBe(true);
	}, 120_000);
});
