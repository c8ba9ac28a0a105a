/**
 * Monthly rollups answer exactly as the raw rows: a spread of requests (every metric set with a
 * rollup × groupings × filters × whole-month and edge ranges × compare) run with the rollups on and
 * forced off on the same generated data must give identical results — and the "on" runs must
 * really read the rollups. Then a second load (orders, revisions, names changed) refreshes only
 * the touched months: equal to a full rebuild, and still equal to the raw rows.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/lib/server/db/connection.ts';
import { openProjectDb } from '../../../src/lib/server/db/open.ts';
import { ingestFolder } from '../../../src/lib/server/ingest/index.ts';
import { writeSample } from '../../../src/lib/server/sample/index.ts';
import { preaggState, rebuildPreaggregates, setRollupsDisabled } from '../../../src/lib/server/preagg/index.ts';
import { hasHoursTable, hasRowsTable, rollupDefs, rollupTable } from '../../../src/lib/server/preagg/rollups.ts';
import { breachTable, hasBreachTable } from '../../../src/lib/server/preagg/sla-breaches.ts';
import { qbinsTable } from '../../../src/lib/server/preagg/rollup-quantiles.ts';
import { wholeMonths } from '../../../src/lib/server/metrics/compile.ts';
import { defFor } from '../../../src/lib/server/metrics/defs.ts';
import { runMetric } from '../../../src/lib/server/metrics/run.ts';
import type { QueryEngine } from '../../../src/lib/server/metrics/engine.ts';
import type { MetricRequest } from '../../../src/lib/server/metrics/request.ts';

let db: Db;
let dir: string;
const TODAY = '2026-11-15';
const ALL = { sellerId: null };
let PROVIDERS: string[] = [];

class Recording implements QueryEngine {
	sql: string[] = [];
	constructor(private db: Db) {}
	all<T>(sql: string, params: Record<string, unknown>): Promise<T[]> {
		this.sql.push(sql);
		return this.db.all<T>(sql, params);
	}
}

beforeAll(async () => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preagg-rollups-'));
	await writeSample({ scale: 0.05, seed: 11, asOf: TODAY, out: path.join(dir, 'one') });
	db = await openProjectDb({ path: ':memory:' });
	const r1 = await ingestFolder(db, path.join(dir, 'one'), { loadsDir: path.join(dir, 'loads') });
	expect(r1.status).toBe('ok');
	PROVIDERS = (await db.all<{ p: string }>('SELECT provider_id AS p FROM orders GROUP BY 1 ORDER BY count(*) DESC LIMIT 3')).map((r) => r.p);
}, 240_000);

afterAll(async () => {
	setRollupsDisabled(false);
	await db?.close();
	if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const SETS: Pick<MetricRequest, 'metric' | 'sla'>[] = [
	{ metric: 'volume' },
	{ metric: 'rework' },
	{ metric: 'disputes' },
	{ metric: 'compensation' },
	{ metric: 'rework_reasons' },
	{ metric: 'dispute_mix' },
	...(['on_time_delivery', 'first_draft', 'acceptance', 'dispute_first_response', 'arbitration', 'provider_accountability', 'payment'] as const).map((sla) => ({ metric: 'sla' as const, sla }))
];
const RANGES = [
	{ from: '2025-12-01', to: '2026-11-30' }, // 12 whole months (the default view), with today inside
	{ from: '2026-01-15', to: '2026-10-20' }, // edge days on both sides
	{ from: '2026-03-01', to: '2026-05-17' }, // whole months, then edge days
	{ from: '2026-11-01', to: '2026-11-15' } // no whole month: raw rows
];
const SHAPES: Partial<MetricRequest>[] = [
	{ groupBy: 'month', compare: true },
	{ groupBy: 'provider', compare: true, sort: { field: 'name', dir: 'asc' } },
	{ groupBy: 'category', filters: { region: ['shenzhen', 'yiwu'] } },
	{ groupBy: 'first_order', filters: { formFilled: true } },
	{ groupBy: 'image_type', compare: true, filters: { category: ['jewelry', 'home'], firstOrder: false } },
	{ groupBy: 'region', limit: 3, offset: 1, sort: { field: 'region', dir: 'desc' } },
	{ compare: true },
	// revision reasons' and the dispute mix's rollups are keyed by the reason (and ruling) too; other sets
	// with a reason or ruling answer from the raw rows
	{ groupBy: 'reason', compare: true },
	{ groupBy: 'ruling', limit: 4 },
	{ groupBy: 'month', filters: { ruling: ['unclear_requirement', 'rejected'] } },
	{ groupBy: 'month', filters: { reason: ['R01', 'R03'], region: ['shenzhen', 'yiwu'] } }
];

function requests(): MetricRequest[] {
	const out: MetricRequest[] = [];
	for (const s of SETS)
		for (const range of RANGES) {
			const dims = defFor(s).dimensions as string[];
			const fits = (shape: Partial<MetricRequest>) =>
				(!shape.groupBy || dims.includes(shape.groupBy)) && Object.keys(shape.filters ?? {}).every((f) => (f === 'region' || f === 'reason' || f === 'ruling' ? dims.includes(f) : dims.includes('category')));
			for (const shape of SHAPES) if (fits(shape)) out.push({ ...s, ...shape, range } as MetricRequest);
			if (!dims.includes('provider')) continue;
			// KPI-style: a few measures only (the first, a rate or mean, the last — a quantile for SLA)
			const ms = defFor(s).measures.map((m) => m.name);
			out.push({ ...s, range, compare: true, measures: [ms[0], ms[Math.floor(ms.length / 2)]] } as MetricRequest);
			out.push({ ...s, range, groupBy: 'provider', filters: { provider: PROVIDERS }, measures: [ms[ms.length - 1], ms[1]] } as MetricRequest);
			// provider and another filter: the fine rollup
			out.push({ ...s, range, groupBy: 'first_order', compare: true, filters: { provider: PROVIDERS, formFilled: true } } as MetricRequest);
		}
	return out;
}

async function both(reqs: MetricRequest[], opts: { today: string }) {
	setRollupsDisabled(true);
	const off = [];
	for (const r of reqs) off.push(await runMetric(db, r, ALL, opts));
	setRollupsDisabled(false);
	const rec = new Recording(db);
	const on = [];
	for (const r of reqs) on.push(await runMetric(rec, r, ALL, opts));
	return {
		off,
		on,
		rollupQueries: rec.sql.filter((s) => /FROM rollup_/.test(s)).length,
		hoursQueries: rec.sql.filter((s) => /FROM rollup_\w+_hours/.test(s)).length,
		binQueries: rec.sql.filter((s) => /FROM rollup_\w+_qbins/.test(s)).length,
		breachQueries: rec.sql.filter((s) => /FROM sla_breaches_/.test(s)).length
	};
}

describe('monthly rollups', () => {
	it('whole months inside a range', () => {
		expect(wholeMonths('2026-01-01', '2026-12-31')).toEqual({ from: '2026-01', to: '2026-12' });
		expect(wholeMonths('2026-01-15', '2026-03-31')).toEqual({ from: '2026-02', to: '2026-03' });
		expect(wholeMonths('2026-01-15', '2026-02-27')).toBeNull();
		expect(wholeMonths('2024-02-01', '2024-02-29')).toEqual({ from: '2024-02', to: '2024-02' });
		expect(wholeMonths('2025-12-02', '2026-02-28')).toEqual({ from: '2026-01', to: '2026-02' });
	});

	it('are current after the load, with a watermark not after the data', async () => {
		const st = await preaggState(db);
		expect(st.fresh).toBe(true);
		expect(st.rollups).not.toBeNull();
		expect(st.rollups!.watermark.getTime()).toBeLessThanOrEqual(new Date(`${TODAY}T24:00:00+08:00`).getTime());
		for (const d of rollupDefs())
			for (const level of ['fine', 'provider', 'coarse', ...(hasHoursTable(d) ? (['hours'] as const) : [])] as const)
				expect((await db.one<{ n: number }>(`SELECT count(*) AS n FROM ${rollupTable(d, level)}`))!.n).toBeGreaterThan(0);
		expect(rollupDefs().filter(hasHoursTable).length).toBe(7); // every SLA set with a rollup
		for (const d of rollupDefs().filter(hasHoursTable))
			for (const level of ['coarse', 'provider'] as const) {
				// the bins hold every duration of the hours table, once
				const n = await db.one<{ a: number; b: number }>(`SELECT (SELECT sum(n) FROM ${qbinsTable(d.name, level)})::BIGINT AS a, (SELECT count(*) FROM ${rollupTable(d, 'hours')}) AS b`);
				expect(n!.a).toBe(n!.b);
			}
	});

	it('answer every request exactly as the raw rows', async () => {
		const reqs = requests();
		const { off, on, rollupQueries, hoursQueries, binQueries } = await both(reqs, { today: TODAY });
		for (let i = 0; i < reqs.length; i++) expect({ req: reqs[i], res: on[i] }).toEqual({ req: reqs[i], res: off[i] });
		// most of them were served from the rollups (not the no-whole-month range), SLA quantiles from the hours tables
		expect(rollupQueries).toBeGreaterThan(reqs.length);
		expect(hoursQueries).toBeGreaterThan(7 * 3 * 4);
		// and those of unfiltered totals, months and providers from the binned durations (rollup-quantiles.ts)
		expect(binQueries).toBeGreaterThan(7 * 3 * 4);
		// and the figures are not trivially empty
		expect(off.some((r) => Number(r.total?.items ?? r.total?.orders ?? 0) > 100)).toBe(true);
	}, 240_000);

	it('a holistic window: quantiles of the shown rows as the full request, NULL for the others; a quantile sort computes them all', async () => {
		const Q = ['p50_hours', 'p90_hours', 'p99_hours'];
		const sorts = [undefined, { field: 'mean_hours', dir: 'desc' }, { field: 'name', dir: 'asc' }, { field: 'items', dir: 'asc' }, { field: 'p90_hours', dir: 'desc' }] as const;
		let windowed = 0;
		for (const sla of ['on_time_delivery', 'first_draft'] as const)
			for (const sort of sorts)
				for (const win of [{ offset: 0, limit: 3 }, { offset: 2, limit: 4 }, { offset: 40, limit: 5 }]) {
					const req: MetricRequest = { metric: 'sla', sla, range: RANGES[0], groupBy: 'provider', compare: true, ...(sort ? { sort: { ...sort } } : {}) };
					const full = await runMetric(db, req, ALL, { today: TODAY });
					const rec = new Recording(db);
					const part = await runMetric(rec, { ...req, holisticWindow: win }, ALL, { today: TODAY });
					const quantileSort = sort?.field === 'p90_hours';
					if (!quantileSort && rec.sql.some((s) => /\bshown AS \(/.test(s))) windowed++;
					expect(full.rows.length).toBeGreaterThan(5);
					expect(part.rows.length).toBe(full.rows.length);
					expect(part.total).toEqual(full.total);
					expect(part.previous).toEqual(full.previous);
					part.rows.forEach((row, i) => {
						const shown = quantileSort || (i >= win.offset && i < win.offset + win.limit);
						const want = shown ? full.rows[i] : { ...full.rows[i], ...Object.fromEntries(Q.map((q) => [q, null])) };
						expect({ sla, sort, win, i, row }).toEqual({ sla, sort, win, i, row: want });
					});
					// the figures are not trivially NULL
					if (win.offset === 0) expect(part.rows[0].p90_hours).not.toBeNull();
				}
		expect(windowed).toBe(2 * 4 * 3);
	}, 120_000);

	it('breach and at-risk lists: settled breaches from the stored table, the same pages as the raw rows', async () => {
		const reqs: MetricRequest[] = [];
		const slas = ['on_time_delivery', 'first_draft', 'acceptance', 'dispute_first_response', 'arbitration', 'provider_accountability', 'payment'] as const;
		const states = [['breached'], ['at_risk'], ['open'], ['breached', 'at_risk']] as const;
		for (const sla of slas)
			for (const range of RANGES)
				for (const slaState of states) {
					reqs.push({ metric: 'sla_items', sla, range, filters: { slaState: [...slaState] }, limit: 25 } as MetricRequest);
					if (sla !== 'payment') reqs.push({ metric: 'sla_items', sla, range, filters: { slaState: [...slaState], category: ['jewelry', 'home'] }, sort: { field: 'hours', dir: 'desc' }, limit: 7, offset: 3 } as MetricRequest);
				}
		// a seller's own breaches (the scope reaches the stored rows too); met items are never read from there
		const seller = (await db.one<{ s: string }>(`SELECT seller_id AS s FROM orders GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`))!.s;
		const { off, on, breachQueries } = await both(reqs, { today: TODAY });
		for (let i = 0; i < reqs.length; i++) expect({ req: reqs[i], res: on[i] }).toEqual({ req: reqs[i], res: off[i] });
		expect(breachQueries).toBeGreaterThan(slas.length * RANGES.length);
		expect(off.some((r) => Number(r.meta.totalRows) > 50)).toBe(true);
		const scoped: MetricRequest = { metric: 'sla_items', sla: 'on_time_delivery', range: RANGES[0], filters: { slaState: ['breached'] }, limit: 1000 };
		setRollupsDisabled(true);
		const a = await runMetric(db, scoped, { sellerId: seller }, { today: TODAY });
		setRollupsDisabled(false);
		const rec = new Recording(db);
		const b = await runMetric(rec, scoped, { sellerId: seller }, { today: TODAY });
		expect(rec.sql.some((s) => /FROM sla_breaches_/.test(s))).toBe(true);
		expect(b).toEqual(a);
		expect(a.rows.every((r) => r.seller_id === seller)).toBe(true);
		const met = new Recording(db);
		await runMetric(met, { ...scoped, filters: { slaState: ['met', 'breached'] } }, ALL, { today: TODAY });
		expect(met.sql.some((s) => /sla_breaches_/.test(s))).toBe(false);
	}, 120_000);

	it('the dispute mix by seller (sellers to guide) and in a seller\'s scope: from the stored dispute rows, as the raw rows', async () => {
		const seller = (await db.one<{ s: string }>(`SELECT o.seller_id AS s FROM disputes d JOIN orders o USING (order_id) GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`))!.s;
		const cases: [MetricRequest, { sellerId: string | null }][] = [];
		for (const range of RANGES) {
			cases.push([{ metric: 'guidance_sellers', range, limit: 10_000 } as MetricRequest, ALL]);
			cases.push([{ metric: 'dispute_mix', groupBy: 'seller', range, compare: true, sort: { field: 'mean_arbitration_hours', dir: 'desc' }, limit: 15, offset: 2 } as MetricRequest, ALL]);
			cases.push([{ metric: 'dispute_mix', groupBy: 'reason', range, compare: true } as MetricRequest, { sellerId: seller }]);
		}
		for (const [req, scope] of cases) {
			setRollupsDisabled(true);
			const off = await runMetric(db, req, scope, { today: TODAY });
			setRollupsDisabled(false);
			const rec = new Recording(db);
			const on = await runMetric(rec, req, scope, { today: TODAY });
			expect({ req, scope, on }).toEqual({ req, scope, on: off });
			expect(rec.sql.some((s) => /FROM rollup_dispute_mix_rows/.test(s))).toBe(true);
		}
		const g = await runMetric(db, cases[0][0], ALL, { today: TODAY });
		expect(g.rows.length).toBeGreaterThan(5);
	}, 60_000);

	it('payment items of a range with edge days: exactly the (seller, month)s whose next month starts inside it', async () => {
		// the range also bounds the base's "month" column (defs startsAfterMonth): not one item too few
		const range = { from: '2026-01-15', to: '2026-10-01' }; // items start 2026-02-01 … 2026-10-01: months 2026-01 … 2026-09
		const want = await db.all<{ month: string; n: number }>(
			`SELECT month, count(DISTINCT seller_id)::INTEGER AS n FROM payments WHERE month BETWEEN '2026-01' AND '2026-09' GROUP BY 1 ORDER BY 1`
		);
		expect(want.length).toBe(9);
		for (const off of [true, false]) {
			setRollupsDisabled(off);
			const res = await runMetric(db, { metric: 'sla', sla: 'payment', groupBy: 'month', range, measures: ['items'] }, ALL, { today: TODAY });
			expect(res.rows.map((r) => ({ month: r.month, n: Number(r.items) }))).toEqual(
				want.map((w) => ({ month: `${w.month.slice(0, 4)}-${String(Number(w.month.slice(5)) + 1).padStart(2, '0')}`, n: w.n }))
			);
			const items = await runMetric(db, { metric: 'sla_items', sla: 'payment', range, limit: 1 }, ALL, { today: TODAY });
			expect(items.meta.totalRows).toBe(want.reduce((a, w) => a + w.n, 0));
		}
		// a dimension the set does not have is an error with the rollups on too
		await expect(runMetric(db, { metric: 'sla', sla: 'payment', groupBy: 'provider', range }, ALL, { today: TODAY })).rejects.toThrow(/cannot be grouped by provider/);
		setRollupsDisabled(false);
	}, 60_000);

	it('are not read when today is before the watermark (SLA states), still the same numbers', async () => {
		const reqs: MetricRequest[] = [
			{ metric: 'sla', sla: 'on_time_delivery', groupBy: 'month', range: { from: '2026-01-01', to: '2026-06-30' }, compare: true },
			{ metric: 'volume', groupBy: 'month', range: { from: '2026-01-01', to: '2026-06-30' } }
		];
		const { off, on, rollupQueries } = await both(reqs, { today: '2026-07-10' });
		// approx quantiles (an order-dependent sketch) are not read from the hours tables, still served
		const approx: MetricRequest = { metric: 'sla', sla: 'first_draft', groupBy: 'month', range: { from: '2026-01-01', to: '2026-06-30' } };
		setRollupsDisabled(false);
		const rec = new Recording(db);
		const a = await runMetric(rec, approx, ALL, { today: TODAY, approx: true });
		expect(rec.sql.some((s) => /FROM rollup_/.test(s))).toBe(true);
		expect(rec.sql.some((s) => /rollup_\w+_hours/.test(s))).toBe(false);
		expect(a.rows.length).toBe(6);
		expect(on).toEqual(off);
		expect(rollupQueries).toBe(2); // volume only (current period, grouped and total)
	}, 60_000);

	it('a second load refreshes the touched months: equal to a full rebuild and to the raw rows', async () => {
		const two = path.join(dir, 'two');
		fs.mkdirSync(two);
		const src = (t: string) => `read_csv('${path.join(dir, 'one', `${t}.csv`)}', all_varchar = true, header = true)`;
		const copy = (t: string, sql: string) => db.run(`COPY (${sql}) TO '${path.join(two, `${t}.csv`)}' (HEADER, DELIMITER ',')`);
		await copy('orders', `SELECT * REPLACE ((image_count::INTEGER + 2)::VARCHAR AS image_count) FROM ${src('orders')} WHERE delivered_at IS NOT NULL ORDER BY order_id LIMIT 60 OFFSET 50`);
		await copy(
			'revisions',
			`SELECT order_id, strftime(first_draft_at::TIMESTAMPTZ + INTERVAL 9 MINUTE, '%Y-%m-%dT%H:%M:%S+08:00') AS requested_at, 'R03' AS reason_code, NULL AS redelivered_at
			 FROM ${src('orders')} WHERE first_draft_at IS NOT NULL ORDER BY order_id DESC LIMIT 40`
		);
		await copy('providers', `SELECT * REPLACE (name || ' (renamed)' AS name) FROM ${src('providers')} ORDER BY provider_id LIMIT 1`);
		// later payments for some (seller, month)s: their payment SLA items move
		await copy('payments', `SELECT * REPLACE (strftime(paid_at::TIMESTAMPTZ + INTERVAL 9 DAY, '%Y-%m-%dT%H:%M:%S+08:00') AS paid_at) FROM ${src('payments')} ORDER BY payment_id LIMIT 30`);
		const r2 = await ingestFolder(db, two, { loadsDir: path.join(dir, 'loads') });
		expect(r2.tables.filter((t) => t.rejected || t.error)).toEqual([]);
		expect((await preaggState(db)).rollups).not.toBeNull();
		const snap = async () => {
			const out: Record<string, unknown[]> = {};
			for (const d of rollupDefs())
				for (const level of ['fine', 'provider', 'coarse', ...(hasHoursTable(d) ? (['hours'] as const) : [])] as const)
					out[rollupTable(d, level)] = await db.all(`SELECT * FROM ${rollupTable(d, level)} ORDER BY ALL`);
			// (a bin's values in any order)
			for (const d of rollupDefs().filter(hasHoursTable))
				for (const level of ['coarse', 'provider'] as const)
					out[qbinsTable(d.name, level)] = await db.all(`SELECT * REPLACE (list_sort(vals) AS vals) FROM ${qbinsTable(d.name, level)} ORDER BY ALL`);
			for (const d of rollupDefs().filter(hasBreachTable)) out[breachTable(d)] = await db.all(`SELECT * FROM ${breachTable(d)} ORDER BY ALL`);
			for (const d of rollupDefs().filter(hasRowsTable)) out[rollupTable(d, 'rows')] = await db.all(`SELECT * FROM ${rollupTable(d, 'rows')} ORDER BY ALL`);
			return out;
		};
		const incremental = await snap();
		const reqs = requests().filter((_, i) => i % 3 === 0);
		const { off, on } = await both(reqs, { today: TODAY });
		expect(on).toEqual(off);
		await rebuildPreaggregates(db);
		const full = await snap();
		expect(incremental).toEqual(full);
	}, 240_000);
});
