/**
 * The sums-based incentive path (metrics/incentive-sums.ts, fed by order_windows) decides exactly
 * what decideIncentive (src/lib/incentive.ts) decides on the zero-filled day arrays: on random
 * windows (fast-check) and on the live orders of a sample load.
 */
import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideIncentive, type DayCounts } from '../../../src/lib/incentive.ts';
import type { Db } from '../../../src/lib/server/db/connection.ts';
import { openProjectDb } from '../../../src/lib/server/db/open.ts';
import { ingestFolder } from '../../../src/lib/server/ingest/index.ts';
import { writeSample } from '../../../src/lib/server/sample/index.ts';
import { decideIncentiveFromSums, type WindowSums } from '../../../src/lib/server/metrics/incentive-sums.ts';
import { incentiveDecisions } from '../../../src/lib/server/metrics/incentives.ts';
import { orderDays } from '../../../src/lib/server/metrics/ctr.ts';
import { preaggFresh } from '../../../src/lib/server/preagg/index.ts';

const sumsOf = (days: DayCounts[]): WindowSums => ({
	n: days.reduce((a, d) => a + d.impressions, 0),
	x: days.reduce((a, d) => a + d.clicks, 0),
	nn: days.reduce((a, d) => a + d.impressions * d.impressions, 0),
	xx: days.reduce((a, d) => a + d.clicks * d.clicks, 0),
	xn: days.reduce((a, d) => a + d.clicks * d.impressions, 0)
});

const day = fc
	.tuple(fc.integer({ min: 0, max: 20000 }), fc.double({ min: 0, max: 0.08, noNaN: true }), fc.boolean())
	.map(([n, p, zero]): DayCounts => (zero ? { impressions: 0, clicks: 0, addToCart: 0 } : { impressions: n, clicks: Math.floor(n * p), addToCart: 0 }));

describe('decideIncentiveFromSums', () => {
	it('equals decideIncentive on random day arrays', () => {
		fc.assert(
			fc.property(
				fc.array(day, { minLength: 7, maxLength: 7 }),
				fc.array(day, { minLength: 30, maxLength: 30 }),
				fc.boolean(),
				fc.boolean(),
				fc.integer({ min: 0, max: 10_000_000 }),
				(baseline, result, refunded, windowClosed, imageFeeFen) => {
					const common = { liveDay: '2026-03-01', refunded, windowClosed, imageFeeFen };
					expect(decideIncentiveFromSums({ ...common, baseline: sumsOf(baseline), result: sumsOf(result) })).toEqual(decideIncentive({ ...common, baseline, result }));
				}
			),
			{ numRuns: 2000 }
		);
	});

	it('equals decideIncentive on constant-CTR windows (no sampling error) and a not-live order', () => {
		const flat = (n: number, k: number) => Array.from({ length: k }, () => ({ impressions: n, clicks: n / 50, addToCart: 0 }));
		const common = { liveDay: '2026-03-01', refunded: false, windowClosed: true, imageFeeFen: 12_345 };
		const b = flat(1000, 7);
		const r = flat(2000, 30).map((d, i) => (i === 0 ? { ...d, clicks: d.clicks + 40 } : d));
		expect(decideIncentiveFromSums({ ...common, baseline: sumsOf(b), result: sumsOf(r) })).toEqual(decideIncentive({ ...common, baseline: b, result: r }));
		const none = { liveDay: null, refunded: false, windowClosed: false, imageFeeFen: 100 };
		expect(decideIncentiveFromSums({ ...none, baseline: sumsOf([]), result: sumsOf([]) })).toEqual(decideIncentive({ ...none, baseline: [], result: [] }));
	});
});

describe('incentiveDecisions (order_windows) = decideIncentive on day arrays, sample data', () => {
	let db: Db;
	let dir: string;
	beforeAll(async () => {
		dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preagg-sums-'));
		await writeSample({ scale: 0.05, seed: 3, asOf: '2026-11-15', out: dir });
		db = await openProjectDb({ path: ':memory:' });
		await ingestFolder(db, dir, { loadsDir: path.join(dir, 'loads') });
	}, 180_000);
	afterAll(async () => {
		await db?.close();
		if (dir) fs.rmSync(dir, { recursive: true, force: true });
	});

	it('every live order gets the same decision', async () => {
		expect(await preaggFresh(db)).toBe(true);
		const orders = await db.all<{ order_id: string; live_day: string; refunded: boolean; image_fee: number }>(
			`SELECT o.order_id, o.live_at::DATE AS live_day, coalesce(d.ruling = 'provider_fault', false) AS refunded, coalesce(c.image_fee, 0)::BIGINT AS image_fee
			 FROM orders o LEFT JOIN disputes d USING (order_id) LEFT JOIN order_charges c USING (order_id)
			 WHERE o.live_at IS NOT NULL ORDER BY o.order_id LIMIT 600`
		);
		expect(orders.length).toBeGreaterThan(300);
		const asOfDay = '2026-11-15';
		const got = await incentiveDecisions(db, { orderIds: orders.map((o) => o.order_id), asOfDay, scope: { sellerId: null } });
		const days = await orderDays(
			db,
			orders.map((o) => o.order_id),
			-7,
			29
		);
		const reasons = new Set<string>();
		for (const [i, o] of orders.entries()) {
			const d = days.get(o.order_id)!;
			const expected = decideIncentive({
				liveDay: o.live_day,
				refunded: o.refunded,
				imageFeeFen: o.image_fee,
				baseline: d.filter((x) => x.k < 0),
				result: d.filter((x) => x.k >= 0),
				windowClosed: o.live_day <= '2026-10-16' // L+29 < as-of day
			});
			const { orderId, ...rest } = got[i];
			expect(orderId).toBe(o.order_id);
			const decision: Record<string, unknown> = { ...rest };
			for (const k of ['sellerId', 'skuId', 'category', 'providerId']) delete decision[k];
			expect(decision).toEqual(expected);
			reasons.add(expected.reason);
		}
		expect(reasons.has('qualifies')).toBe(true);
		expect(reasons.size).toBeGreaterThan(2);
	});
});
