/**
 * Hand-computed cases on small inserted data: every figure below was worked out by hand from
 * the rows (comments show the arithmetic) with domain.md's rules.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/lib/server/db/connection.ts';
import { runMetric } from '../../../src/lib/server/metrics/run.ts';
import { incentiveDecisions } from '../../../src/lib/server/metrics/incentives.ts';
import { orderStory } from '../../../src/lib/server/metrics/order-story.ts';
import { runFindings } from '../../../src/lib/server/metrics/findings.ts';
import { addCtrDays, addDelistings, addDisputes, addOrders, addProviders, addRevisions, addSellers, emptyDb } from './fixture.ts';

const ALL = { sellerId: null };
let db: Db;

beforeAll(async () => {
	db = await emptyDb();
	await addSellers(db, [
		{ seller_id: 'S1', region: 'shenzhen' },
		{ seller_id: 'S2', region: 'yiwu' },
		{ seller_id: 'S3', region: 'other', entity_type: 'individual', service_opened_at: '2025-02-01T00:00:00+08:00', store_level: 2, uscc: '91350100M000100Y44', license_from: '2026-01-01', license_provider_id: 'P2' }
	]);
	await addProviders(db, ['P1', 'P2']);
	await addOrders(db, [
		// Rework: four orders with a first draft in March 2026.
		{ order_id: 'R1', seller_id: 'S1', published_at: '2026-03-02T09:00:00+08:00', first_draft_at: '2026-03-03T09:00:00+08:00', spec_form_filled: true },
		{ order_id: 'R2', seller_id: 'S1', published_at: '2026-03-03T09:00:00+08:00', first_draft_at: '2026-03-04T09:00:00+08:00', spec_form_filled: false },
		{ order_id: 'R3', seller_id: 'S2', published_at: '2026-03-02T08:00:00+08:00', first_draft_at: '2026-03-05T09:00:00+08:00', spec_form_filled: true },
		{ order_id: 'R4', seller_id: 'S2', published_at: '2026-03-04T09:00:00+08:00', first_draft_at: '2026-03-06T09:00:00+08:00', spec_form_filled: true },
		// On-time across 春节 2026 (holiday 02-15…02-23) and the 调休 Saturday 2026-02-14 (a workday).
		// T1: published Thu 02-12, N = 3 → 02-13, 02-14 (Sat, workday), 02-24 → deadline 02-25 00:00; delivered 02-24 23:00 → met.
		{ order_id: 'T1', seller_id: 'S1', published_at: '2026-02-12T10:00:00+08:00', first_draft_at: '2026-02-13T10:00:00+08:00', delivered_at: '2026-02-24T23:00:00+08:00', accepted_at: '2026-02-25T10:00:00+08:00' },
		// T2: published Fri 02-13, N = 3 → 02-14, 02-24, 02-25 → deadline 02-26 00:00; delivered 02-26 00:30 → breached.
		{ order_id: 'T2', seller_id: 'S1', published_at: '2026-02-13T09:00:00+08:00', first_draft_at: '2026-02-14T10:00:00+08:00', delivered_at: '2026-02-26T00:30:00+08:00' },
		// T3: rush, published 02-10 10:00 → deadline 02-11 10:00; delivered 02-11 09:59 → met.
		{ order_id: 'T3', seller_id: 'S2', rush: true, published_at: '2026-02-10T10:00:00+08:00', first_draft_at: '2026-02-10T20:00:00+08:00', delivered_at: '2026-02-11T09:59:00+08:00' },
		// T4: undelivered, published Mon 03-02 10:00 → deadline 03-06 00:00 (03-03, 03-04, 03-05); allowance 86 h, 75% = 64.5 h → at risk from 03-05 02:30.
		{ order_id: 'T4', seller_id: 'S2', published_at: '2026-03-02T10:00:00+08:00' },
		// B1: published 2026-03-01 00:30 +08:00 = 2026-02-28 16:30 UTC: a March order in Shanghai.
		{ order_id: 'B1', seller_id: 'S2', published_at: '2026-03-01T00:30:00+08:00', cancelled_at: '2026-03-01T01:00:00+08:00' },
		// X1: published Tue 2026-12-29, N = 5: 12-30, 12-31, then weekdays of 2027 (no calendar) 01-01, 01-04, 01-05 → flagged.
		{ order_id: 'X1', seller_id: 'S1', delivery_days: 5, published_at: '2026-12-29T10:00:00+08:00' },
		// C1: live 2026-01-03 (windows across the year end): baseline 2025-12-27…2026-01-02, result 2026-01-03…2026-02-01.
		{ order_id: 'C1', seller_id: 'S1', sku_id: 'SKU-C1', category: 'home', published_at: '2025-12-01T10:00:00+08:00', first_draft_at: '2025-12-02T10:00:00+08:00', delivered_at: '2025-12-05T10:00:00+08:00', accepted_at: '2025-12-06T10:00:00+08:00', live_at: '2026-01-03T00:10:00+08:00' },
		// D1 disputed (provider fault), D2 disputed (unclear requirement), both delivered in April.
		{ order_id: 'D1', seller_id: 'S3', provider_id: 'P2', store_license: true, published_at: '2026-04-01T10:00:00+08:00', first_draft_at: '2026-04-02T10:00:00+08:00', delivered_at: '2026-04-03T10:00:00+08:00' },
		{ order_id: 'D2', seller_id: 'S3', provider_id: 'P1', store_license: true, published_at: '2026-04-01T11:00:00+08:00', first_draft_at: '2026-04-02T10:00:00+08:00', delivered_at: '2026-04-03T10:00:00+08:00' }
	]);
	// R1: 1 revision, R2: 2 revisions → 2 of 4 reworked.
	await addRevisions(db, [
		{ order_id: 'R1', requested_at: '2026-03-03T12:00:00+08:00', reason_code: 'R02' },
		{ order_id: 'R2', requested_at: '2026-03-04T12:00:00+08:00', reason_code: 'R02' },
		{ order_id: 'R2', requested_at: '2026-03-05T12:00:00+08:00', reason_code: 'R08' }
	]);
	await addDisputes(db, [
		// first response 1 h (met), ruling after 30 h (met)
		{ dispute_id: 'DS1', order_id: 'D1', opened_at: '2026-04-04T10:00:00+08:00', first_response_at: '2026-04-04T11:00:00+08:00', resolved_at: '2026-04-05T16:00:00+08:00', ruling: 'provider_fault', reason_code: 'R03' },
		// first response 3 h (breached), ruling after 50 h (breached)
		{ dispute_id: 'DS2', order_id: 'D2', opened_at: '2026-04-04T10:00:00+08:00', first_response_at: '2026-04-04T13:00:00+08:00', resolved_at: '2026-04-06T12:00:00+08:00', ruling: 'unclear_requirement', reason_code: 'R12' }
	]);
	await addDelistings(db, [
		{ delisting_id: 'L1', order_id: 'C1', delisted_at: '2026-03-30T10:00:00+08:00', claimed_loss: 800000, accountability_started_at: '2026-03-31T10:00:00+08:00', compensated_at: '2026-04-02T10:00:00+08:00' },
		{ delisting_id: 'L2', order_id: 'T1', delisted_at: '2026-04-01T10:00:00+08:00', claimed_loss: 123456, accountability_started_at: '2026-04-04T10:00:00+08:00', compensated_at: '2026-04-20T10:00:00+08:00' }
	]);
	// CTR of SKU-C1: baseline 1000 impressions / 10 clicks / 2 carts a day, result 1000 / 15 / 4;
	// 2026-01-20 has no row (counts 0); days just outside the windows carry huge numbers that must not count.
	await addCtrDays(db, 'SKU-C1', '2025-12-27', '2026-01-02', 1000, 10, 2);
	await addCtrDays(db, 'SKU-C1', '2026-01-03', '2026-01-19', 1000, 15, 4);
	await addCtrDays(db, 'SKU-C1', '2026-01-21', '2026-02-01', 1000, 15, 4);
	await addCtrDays(db, 'SKU-C1', '2025-12-26', '2025-12-26', 99999, 9999, 999);
	await addCtrDays(db, 'SKU-C1', '2026-02-02', '2026-02-02', 99999, 9999, 999);
});

afterAll(async () => {
	await db?.close();
});

describe('rework', () => {
	it('rate = orders with a revision ÷ orders with a first draft, by month of first draft', async () => {
		const r = await runMetric(db, { metric: 'rework', range: { from: '2026-03-01', to: '2026-03-31' } }, ALL);
		expect(r.total).toMatchObject({ drafted: 4, reworked: 2, rework_rate: 0.5, revisions: 3 });
	});
	it('splits by form filled and by first order', async () => {
		const range = { from: '2026-03-01', to: '2026-03-31' };
		const form = await runMetric(db, { metric: 'rework', range, groupBy: 'form_filled' }, ALL);
		// filled: R1 (reworked), R3, R4 → 1/3; not filled: R2 (reworked) → 1/1
		expect(form.rows.map((x) => [x.form_filled, x.reworked, x.drafted])).toEqual([
			[false, 1, 1],
			[true, 1, 3]
		]);
		// S1's earliest order is T1 (February), S2's is T3: no March order is a first order
		const first = await runMetric(db, { metric: 'rework', range, groupBy: 'first_order' }, ALL);
		expect(first.rows.map((x) => [x.first_order, x.drafted])).toEqual([[false, 4]]);
	});
	it('reason mix with labels', async () => {
		const r = await runMetric(db, { metric: 'rework_reasons', range: { from: '2026-03-01', to: '2026-03-31' }, groupBy: 'reason', sort: { field: 'revisions', dir: 'desc' } }, ALL);
		expect(r.rows.map((x) => [x.reason, x.revisions, Number((x.share as number).toFixed(4))])).toEqual([
			['R02', 2, 0.6667],
			['R08', 1, 0.3333]
		]);
		expect(r.rows[0].label).toBe('Background whiteness below 95%');
	});
});

describe('grouped results paged in SQL, statements shared while running', () => {
	const mar = { from: '2026-03-01', to: '2026-03-31' };
	it('a page of groups still says how many groups there are', async () => {
		// March reasons: R02 (2 revisions), R08 (1) — page 2 of size 1 is R08, of 2 groups
		const r = await runMetric(db, { metric: 'rework_reasons', range: mar, groupBy: 'reason', sort: { field: 'revisions', dir: 'desc' }, limit: 1, offset: 1 }, ALL);
		expect(r.rows.map((x) => [x.reason, x.revisions])).toEqual([['R08', 1]]);
		expect(r.meta.totalRows).toBe(2);
		expect(Object.keys(r.rows[0])).not.toContain('_total_rows');
		const none = await runMetric(db, { metric: 'rework_reasons', range: { from: '2020-01-01', to: '2020-01-31' }, groupBy: 'reason' }, ALL);
		expect(none.meta.totalRows).toBe(0);
	});
	it('identical concurrent requests get equal but separate rows; other scopes their own', async () => {
		const req = { metric: 'volume', range: mar, groupBy: 'seller' } as const;
		const [a, b, s1, s2] = await Promise.all([runMetric(db, req, ALL), runMetric(db, req, ALL), runMetric(db, req, { sellerId: 'S1' }), runMetric(db, req, { sellerId: 'S2' })]);
		expect(a.rows).toEqual(b.rows);
		expect(a.rows[0]).not.toBe(b.rows[0]);
		expect(a.total).not.toBe(b.total);
		expect(a.rows.map((x) => x.seller)).toEqual(['S1', 'S2']);
		expect(s1.rows.map((x) => x.seller)).toEqual(['S1']);
		expect(s2.rows.map((x) => x.seller)).toEqual(['S2']);
		// March: S1 has R1, R2; S2 has R3, R4, T4, B1
		expect([s1.total!.orders, s2.total!.orders, a.total!.orders]).toEqual([2, 4, 6]);
	});
});

describe('volume and Shanghai days', () => {
	it('an order published 2026-03-01 00:30 +08:00 is a March order', async () => {
		const r = await runMetric(db, { metric: 'volume', range: { from: '2026-02-28', to: '2026-03-01' }, groupBy: 'day', filters: { seller: ['S2'] } }, ALL);
		expect(r.rows).toEqual([expect.objectContaining({ day: '2026-03-01', orders: 1, cancelled: 1 })]);
		const m = await runMetric(db, { metric: 'volume', range: { from: '2026-02-01', to: '2026-03-31' }, groupBy: 'month', filters: { seller: ['S2'] } }, ALL);
		expect(m.rows.map((x) => [x.month, x.orders])).toEqual([
			['2026-02', 1],
			['2026-03', 4]
		]);
	});
	it('compare gives the previous period of equal length and deltas', async () => {
		const r = await runMetric(db, { metric: 'volume', range: { from: '2026-03-01', to: '2026-03-31' }, compare: true }, ALL);
		expect(r.previous).toMatchObject({ from: '2026-01-29', to: '2026-02-28' });
		// March: R1–R4, T4, B1 = 6; 2026-01-29…02-28: T1, T2, T3 = 3
		expect(r.deltas!.orders).toEqual({ current: 6, previous: 3, change: 3, relative: 1 });
	});
});

describe('on-time delivery', () => {
	const req = { metric: 'sla' as const, sla: 'on_time_delivery' as const };
	it('deadlines follow 春节 2026 and the 调休 Saturday', async () => {
		const items = await runMetric(db, { ...req, metric: 'sla_items', range: { from: '2026-02-01', to: '2026-02-28' }, sort: { field: 'item_id', dir: 'asc' } }, ALL, { today: '2026-03-31' });
		const by = Object.fromEntries(items.rows.map((x) => [x.item_id, x]));
		expect((by.T1.deadline as Date).toISOString()).toBe(new Date('2026-02-25T00:00:00+08:00').toISOString());
		expect(by.T1.state).toBe('met');
		expect((by.T2.deadline as Date).toISOString()).toBe(new Date('2026-02-26T00:00:00+08:00').toISOString());
		expect(by.T2.state).toBe('breached');
		expect((by.T3.deadline as Date).toISOString()).toBe(new Date('2026-02-11T10:00:00+08:00').toISOString());
		expect(by.T3.state).toBe('met');
		const agg = await runMetric(db, { ...req, range: { from: '2026-02-01', to: '2026-02-28' } }, ALL, { today: '2026-03-31' });
		expect(agg.total).toMatchObject({ items: 3, met: 2, breached: 1, open: 0 });
		expect(agg.total!.attainment).toBeCloseTo(2 / 3, 12);
	});
	it('open, at risk past 75% of the allowance, breached after the deadline — applied at query time', async () => {
		const state = async (now: string) =>
			(await runMetric(db, { ...req, metric: 'sla_items', filters: { seller: ['S2'] }, range: { from: '2026-03-02', to: '2026-03-02' } }, ALL, { now: new Date(now) })).rows.find((x) => x.item_id === 'T4')!.state;
		expect(await state('2026-03-05T02:29:00+08:00')).toBe('open');
		expect(await state('2026-03-05T02:30:00+08:00')).toBe('at_risk');
		expect(await state('2026-03-06T00:00:00+08:00')).toBe('at_risk');
		expect(await state('2026-03-06T00:01:00+08:00')).toBe('breached');
		const list = await runMetric(db, { ...req, metric: 'sla_items', filters: { slaState: ['at_risk'] } }, ALL, { now: new Date('2026-03-05T12:00:00+08:00') });
		// R1 (09:00) and R3 (08:00) were published the same morning with the same deadline and are past 75% too;
		// R2 and R4 (published later) are still open. Newest start first.
		expect(list.rows.map((x) => x.item_id)).toEqual(['T4', 'R1', 'R3']);
	});
	it('a deadline past the calendar is computed on weekdays and flagged with its year', async () => {
		const r = await runMetric(db, { ...req, range: { from: '2026-12-01', to: '2026-12-31' } }, ALL, { today: '2026-12-30' });
		expect(r.meta.beyondCalendar).toEqual({ count: 1, years: [2027] });
		const items = await runMetric(db, { ...req, metric: 'sla_items', range: { from: '2026-12-01', to: '2026-12-31' } }, ALL, { today: '2026-12-30' });
		expect((items.rows[0].deadline as Date).toISOString()).toBe(new Date('2027-01-06T00:00:00+08:00').toISOString());
		const f = await runFindings(db, ALL);
		expect(f.beyondCalendar.rows).toEqual([expect.objectContaining({ missing_year: 2027, orders: 1 })]);
	});
});

describe('disputes, arbitration, compensation', () => {
	const range = { from: '2026-04-01', to: '2026-04-30' };
	it('dispute rate, ruling mix and times', async () => {
		const r = await runMetric(db, { metric: 'disputes', range }, ALL);
		// delivered in April: D1, D2; both disputed; first response 1 h and 3 h; ruling 30 h and 50 h
		expect(r.total).toMatchObject({ delivered: 2, disputes: 2, dispute_rate: 1, provider_fault: 1, unclear_requirement: 1, mean_first_response_hours: 2, mean_arbitration_hours: 40 });
		const fr = await runMetric(db, { metric: 'sla', sla: 'dispute_first_response', range }, ALL, { today: '2026-05-01' });
		expect(fr.total).toMatchObject({ met: 1, breached: 1, attainment: 0.5, mean_hours: 2, p50_hours: 2 });
		const ar = await runMetric(db, { metric: 'sla', sla: 'arbitration', range }, ALL, { today: '2026-05-01' });
		expect(ar.total).toMatchObject({ met: 1, breached: 1, mean_hours: 40 });
		const g = await runMetric(db, { metric: 'guidance_sellers', range: { column: 'opened_at', ...range } }, ALL);
		expect(g.rows.map((x) => [x.seller, x.disputes])).toEqual([['S3', 1]]);
	});
	it('compensation = min(claimed, ¥5,000) by month of compensated_at; accountability 48 h', async () => {
		const r = await runMetric(db, { metric: 'compensation', range }, ALL, { today: '2026-05-01' });
		// 500000 (capped) + 123456; accountability 24 h (met) and 72 h (breached)
		expect(r.total).toMatchObject({ delistings: 2, compensation_fen: 623456, claimed_loss_fen: 923456, accountability_met: 1, accountability_breached: 1 });
	});
});

describe('CTR windows and incentives', () => {
	it('sums the windows across the year end in SQL; missing days count 0', async () => {
		const r = await runMetric(db, { metric: 'ctr_orders' }, ALL, { today: '2026-03-01' });
		const c1 = r.rows.find((x) => x.order_id === 'C1')!;
		// baseline 7 × 1000 / 10; result 29 days × 1000 / 15 (2026-01-20 missing)
		expect(c1).toMatchObject({ live_day: '2026-01-03', window_closed_on: '2026-02-01', b_impr: 7000, b_clicks: 70, r_impr: 29000, r_clicks: 435, measurable: true });
		expect(c1.ctr_lift).toBeCloseTo(0.5, 12); // (435/29000)/(70/7000) − 1
		expect(c1.atc_lift).toBeCloseTo(1, 12); // (116/29000)/(14/7000) − 1
		const g = await runMetric(db, { metric: 'ctr', groupBy: 'category' }, ALL, { today: '2026-03-01' });
		expect(g.rows[0]).toMatchObject({ category: 'home', measurable_orders: 1 });
		expect(g.rows[0].ctr_lift as number).toBeCloseTo(0.5, 12);
	});
	it('window still open the day L+29 itself', async () => {
		const r = await runMetric(db, { metric: 'ctr_orders' }, ALL, { today: '2026-02-01' });
		expect(r.rows.find((x) => x.order_id === 'C1')!.measurable).toBe(false);
	});
	it('billing: incentive billed in the month of L+29 with the 30% tier', async () => {
		expect(await incentiveDecisions(db, { closesInMonth: '2026-01', scope: ALL })).toEqual([]);
		const [d] = await incentiveDecisions(db, { closesInMonth: '2026-02', scope: ALL });
		// home main 105.00 × 30% = 31.50
		expect(d).toMatchObject({ orderId: 'C1', qualifies: true, tierRate: 30, imageFeeFen: 10500, amountFen: 3150, closeMonth: '2026-02' });
		const open = await incentiveDecisions(db, { orderIds: ['C1'], asOfDay: '2026-02-01', scope: ALL });
		expect(open[0].reason).toBe('window_open');
		const refunded = await incentiveDecisions(db, { orderIds: ['D1'], asOfDay: '2026-06-01', scope: ALL });
		expect(refunded[0]).toMatchObject({ reason: 'refunded', amountFen: 0 });
	});
});

describe('scope', () => {
	it("a seller cannot see another seller's rows, whatever the filters say", async () => {
		const s1 = { sellerId: 'S1' };
		const v = await runMetric(db, { metric: 'volume', filters: { seller: ['S2'] } }, s1);
		expect(v.total!.orders).toBe(0);
		const g = await runMetric(db, { metric: 'volume', groupBy: 'seller' }, s1);
		expect(g.rows.map((x) => x.seller)).toEqual(['S1']);
		const items = await runMetric(db, { metric: 'sla_items', sla: 'on_time_delivery', filters: { seller: ['S2'] }, limit: 100 }, s1, { today: '2026-04-01' });
		expect(items.rows).toEqual([]);
		const ctr = await runMetric(db, { metric: 'ctr_orders' }, { sellerId: 'S2' }, { today: '2026-03-01' });
		expect(ctr.rows).toEqual([]);
		expect(await orderStory(db, 'T4', s1, '2026-04-01')).toBeNull();
		expect(await orderStory(db, 'T1', s1, '2026-04-01')).not.toBeNull();
		expect(await incentiveDecisions(db, { orderIds: ['C1'], scope: { sellerId: 'S2' } })).toEqual([]);
		const ov = await runMetric(db, { metric: 'overview', range: { from: '2026-03-01', to: '2026-03-31' } }, { sellerId: 'S3' }, { today: '2026-04-01' });
		expect(ov.total!.orders).toBe(0);
	});
	it('SQL-looking filter values are just values', async () => {
		const evil = ["x' OR '1'='1", '"; DROP TABLE orders; --', '$scope_seller', "') UNION SELECT * FROM sellers --"];
		for (const k of ['category', 'provider', 'region', 'seller'] as const) {
			const r = await runMetric(db, { metric: 'volume', filters: { [k]: evil } }, { sellerId: 'S1' });
			expect(r.total!.orders).toBe(0);
		}
		expect((await db.all<{ n: number }>('SELECT count(*) AS n FROM orders'))[0].n).toBe(13);
	});
});

describe('order story and findings', () => {
	it('tells one order', async () => {
		const s = (await orderStory(db, 'C1', ALL, '2026-03-01'))!;
		expect(s.order).toMatchObject({ order_id: 'C1', seller_name: 'Seller S1', image_fee: 10500 });
		expect(s.ctrSeries).toHaveLength(60); // L−14 … L+45
		expect(s.ctrSeries[0]).toMatchObject({ k: -14, date: '2025-12-20', impressions: 0 });
		expect(s.incentive).toMatchObject({ qualifies: true, amountFen: 3150 });
		expect(s.delisting).toMatchObject({ compensation_fen: 500000 });
		// published Mon 2025-12-01, N = 3 → deadline 12-05 00:00; delivered 12-05 10:00
		expect(s.sla.on_time_delivery[0].state).toBe('breached');
	});
	it('lists ineligible sellers, licence flags, invalid credit codes', async () => {
		const f = await runFindings(db, ALL);
		expect(f.ineligibleSellers.rows).toEqual([expect.objectContaining({ seller_id: 'S3', reasons: ['individual business', 'store level below L3'], orders: 2 })]);
		// D1: flag set, licence binds P2 = D1's provider → fine; D2: provider P1 → bound to another provider
		expect(f.licenceFlags.rows.map((x) => [x.order_id, x.finding])).toEqual([['D2', 'flag set, licence bound to another provider']]);
		expect(f.invalidCreditCodes.rows.map((x) => x.seller_id)).toEqual(['S3']);
	});
});
