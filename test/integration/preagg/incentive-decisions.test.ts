/**
 * incentive_decisions is a cache of THE incentive rule's output: after a load, and after a second
 * (incremental) load that changes CTR days inside windows, an order's image count and a ruling,
 * every stored row equals decisionOf (decideIncentiveFromSums) on the order's current inputs with
 * the window closed, the incremental table equals a full rebuild, and incentiveDecisions / the
 * overview tile answer the same from the stored rows as when deciding everything live.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/lib/server/db/connection.ts';
import { twoLoadDirs, type TwoLoads } from './two-loads.ts';
import { openProjectDb } from '../../../src/lib/server/db/open.ts';
import { ingestFolder } from '../../../src/lib/server/ingest/index.ts';
import { writeSample } from '../../../src/lib/server/sample/index.ts';
import { preaggFresh, rebuildPreaggregates, ensurePreaggregates } from '../../../src/lib/server/preagg/index.ts';
import { incentiveDecisionsCurrent } from '../../../src/lib/server/preagg/incentive-decisions.ts';
import { decisionOf, incentiveDecisions, type SelRow } from '../../../src/lib/server/metrics/incentives.ts';
import { runMetric } from '../../../src/lib/server/metrics/run.ts';
import { sqlFile } from '../../../src/lib/server/metrics/sql.ts';

let db: Db;
let f: TwoLoads;
const src = (t: string) => f.src(t);
const all = { sellerId: null };

/** The stored rows as decisions, keyed by order. */
async function stored(): Promise<Map<string, unknown>> {
	const rows = await db.all<Record<string, unknown>>('SELECT * FROM incentive_decisions ORDER BY order_id');
	return new Map(rows.map((r) => [String(r.order_id), r]));
}

/** decisionOf on every live order's current inputs, shaped as a stored row. */
async function expected(): Promise<Map<string, unknown>> {
	const inputs = await db.all<SelRow>(sqlFile('incentive_sums_pre.sql').replace('{{where}}', 'o.f_live_day IS NOT NULL'));
	return new Map(
		inputs.map((o) => {
			const d = decisionOf(o, true);
			return [
				o.order_id,
				{
					order_id: o.order_id,
					seller_id: o.seller_id,
					close_day: d.closeDay,
					qualifies: d.qualifies,
					reason: d.reason,
					live_day: d.liveDay,
					baseline_from: d.baselineFrom,
					baseline_to: d.baselineTo,
					result_from: d.resultFrom,
					result_to: d.resultTo,
					close_month: d.closeMonth,
					b_impressions: d.baseline.impressions,
					b_clicks: d.baseline.clicks,
					b_ctr: d.baseline.ctr,
					r_impressions: d.result.impressions,
					r_clicks: d.result.clicks,
					r_ctr: d.result.ctr,
					lift: d.lift,
					lower95: d.lower95,
					se: d.se,
					df: d.df,
					tier_rate: d.tierRate,
					image_fee_fen: d.imageFeeFen,
					amount_fen: d.amountFen,
					explanation: d.explanation.join('\n')
				}
			];
		})
	);
}

const MONTHS = ['2026-06', '2026-07', '2026-08', '2026-09', '2026-10', '2026-11'];
const OVERVIEW = { metric: 'overview', range: { from: '2026-06-01', to: '2026-09-30' }, compare: true } as const;

/** What readers answer: incentiveDecisions (billing months, dashboard as of a day) and the overview tile. */
async function answers() {
	const seller = { sellerId: (await db.one<{ s: string }>('SELECT seller_id AS s FROM orders WHERE live_at IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1'))!.s };
	const ids = (await db.all<{ o: string }>('SELECT order_id AS o FROM orders WHERE live_at IS NOT NULL ORDER BY order_id LIMIT 25 OFFSET 40')).map((r) => r.o);
	return {
		months: await Promise.all(MONTHS.map((m) => incentiveDecisions(db, { closesInMonth: m, scope: all }))),
		asOf: await incentiveDecisions(db, { asOfDay: '2026-10-20', scope: all }),
		orders: await incentiveDecisions(db, { orderIds: ids, asOfDay: '2026-11-15', scope: all }),
		sellerMonth: await incentiveDecisions(db, { closesInMonth: '2026-09', scope: seller }),
		tile: (await runMetric(db, OVERVIEW, all, { today: '2026-11-15' })).total?.incentives,
		sellerTile: (await runMetric(db, OVERVIEW, seller, { today: '2026-11-15' })).total?.incentives
	};
}

/** The same answers with the stored decisions ignored (their rule version no longer matches). */
async function liveAnswers() {
	const v = (await db.one<{ value: string }>(`SELECT value FROM preagg_state WHERE key = 'incentive_rule'`))!.value;
	await db.run(`UPDATE preagg_state SET value = 'other' WHERE key = 'incentive_rule'`);
	try {
		expect(await incentiveDecisionsCurrent(db)).toBe(false);
		return await answers();
	} finally {
		await db.run(`UPDATE preagg_state SET value = $v WHERE key = 'incentive_rule'`, { v });
	}
}

beforeAll(async () => {
	f = twoLoadDirs('preagg-incdec-');
	await writeSample({ scale: 0.05, seed: 7, asOf: '2026-11-15', out: f.one });
	db = await openProjectDb({ path: ':memory:' });
	expect((await ingestFolder(db, f.one, { loadsDir: f.loadsDir })).status).toBe('ok');
	const copy = (t: string, sql: string) => f.copy(db, t, sql);
	// second load: more image count on some live orders (fee → amount), CTR days moved inside windows
	await copy('orders', `SELECT * REPLACE ((image_count::INTEGER + 2)::VARCHAR AS image_count) FROM ${src('orders')} WHERE live_at IS NOT NULL ORDER BY order_id LIMIT 40 OFFSET 50`);
	await copy(
		'ctr_daily',
		`SELECT c.sku_id, c.date, (c.impressions::INTEGER + 800)::VARCHAR AS impressions, (c.clicks::INTEGER * 2 + 40)::VARCHAR AS clicks, c.add_to_cart
		 FROM ${src('ctr_daily')} c
		 WHERE EXISTS (
		   SELECT 1 FROM (SELECT sku_id, live_at::TIMESTAMPTZ::DATE AS l FROM ${src('orders')} WHERE live_at IS NOT NULL ORDER BY order_id LIMIT 60 OFFSET 400) o
		   WHERE o.sku_id = c.sku_id AND c.date::DATE BETWEEN o.l AND o.l + 20)`
	);
}, 240_000);

afterAll(async () => {
	await db?.close();
	f?.dispose();
});

describe('stored incentive decisions', () => {
	it('after a load: one row per live order, each equal to the rule on its inputs; readers answer as if deciding live', async () => {
		expect(await preaggFresh(db)).toBe(true);
		expect(await incentiveDecisionsCurrent(db)).toBe(true);
		const got = await stored();
		expect(got.size).toBeGreaterThan(300);
		expect(got).toEqual(await expected());
		expect([...got.values()].some((r) => (r as { qualifies: boolean }).qualifies)).toBe(true);
		const a = await answers();
		expect(a.tile).toBeGreaterThan(0);
		expect(a.orders.length).toBe(25);
		expect(a.sellerMonth.length).toBeGreaterThan(0);
		expect(a).toEqual(await liveAnswers());
	}, 120_000);

	it('after a second (incremental) load: equal to the rule, to a full rebuild, and readers unchanged', async () => {
		const before = await stored();
		const r2 = await ingestFolder(db, f.two, { loadsDir: f.loadsDir });
		expect(r2.tables.filter((t) => t.rejected || t.error)).toEqual([]);
		expect(await preaggFresh(db)).toBe(true);
		const incremental = await stored();
		expect(incremental).not.toEqual(before); // the load did move decisions
		expect(incremental).toEqual(await expected());
		const a = await answers();
		expect(a).toEqual(await liveAnswers());
		await rebuildPreaggregates(db);
		expect(await stored()).toEqual(incremental);
		expect(await ensurePreaggregates(db)).toBeNull();
	}, 120_000);

	it('a changed rule version is rebuilt at start-up', async () => {
		await db.run(`UPDATE preagg_state SET value = 'old' WHERE key = 'incentive_rule'`);
		await db.run(`DELETE FROM incentive_decisions WHERE order_id IN (SELECT order_id FROM incentive_decisions LIMIT 5)`);
		const r = await ensurePreaggregates(db);
		expect(r).not.toBeNull();
		expect(await incentiveDecisionsCurrent(db)).toBe(true);
		expect(await stored()).toEqual(await expected());
	}, 120_000);
});
