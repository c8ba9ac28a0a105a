/**
 * CTR lift per group from SQL moments (sql/ctr_moments.sql + clusteredLiftFromMoments) gives the
 * figures the per-order computation gave: every measurable order pulled into JS as a unit and
 * clusteredLift / didLift run over the units (the implementation it replaced, kept here as the
 * oracle). Sample data (scale 0.05), from the pre-aggregates and from the raw tables.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/lib/server/db/connection.ts';
import { openProjectDb } from '../../../src/lib/server/db/open.ts';
import { writeSample } from '../../../src/lib/server/sample/index.ts';
import { ingestFolder } from '../../../src/lib/server/ingest/index.ts';
import { ensurePreaggregates, preaggFresh } from '../../../src/lib/server/preagg/index.ts';
import { ctrBase, runCtr, CTR_DEF } from '../../../src/lib/server/metrics/ctr.ts';
import { dimensionExpr, usedParams, previousPeriod, type CompileContext } from '../../../src/lib/server/metrics/compile.ts';
import { contextFrom } from '../../../src/lib/server/metrics/context.ts';
import { metricRequestSchema, type MetricRequest, type Scope } from '../../../src/lib/server/metrics/request.ts';
import { sqlFile } from '../../../src/lib/server/metrics/sql.ts';
import type { ResultRow } from '../../../src/lib/server/metrics/result.ts';
import { benjaminiHochberg, clusteredLift, didLift, type LiftUnit } from '../../../src/lib/stats/index.ts';

let db: Db;
let dir: string;
let seller: string;
let providers: string[];
const TODAY = '2026-11-15';

beforeAll(async () => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctr-moments-'));
	await writeSample({ scale: 0.05, seed: 3, asOf: TODAY, out: dir });
	db = await openProjectDb({ path: ':memory:' });
	await ingestFolder(db, dir);
	await ensurePreaggregates(db);
	expect(await preaggFresh(db)).toBe(true);
	seller = (await db.all<{ s: string }>(`SELECT seller_id AS s FROM orders WHERE live_at IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`))[0].s;
	providers = (await db.all<{ p: string }>(`SELECT provider_id AS p FROM orders WHERE live_at IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 2`)).map((r) => r.p);
}, 180_000);

afterAll(async () => {
	await db?.close();
	if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

interface Unit {
	key: unknown;
	name: string | null;
	measurable: boolean;
	b_impr: number;
	b_clicks: number;
	b_atc: number;
	r_impr: number;
	r_clicks: number;
	r_atc: number;
}
const ctrUnit = (u: Unit): LiftUnit => ({ bNum: u.b_clicks, bDen: u.b_impr, rNum: u.r_clicks, rDen: u.r_impr });
const atcUnit = (u: Unit): LiftUnit => ({ bNum: u.b_atc, bDen: u.b_impr, rNum: u.r_atc, rDen: u.r_impr });

/** The per-order computation the moments replaced: one unit per live order, figures in JS. */
function oracleFigures(units: Unit[]): ResultRow {
	const m = units.filter((u) => u.measurable);
	const sum = (f: (u: Unit) => number) => m.reduce((a, u) => a + f(u), 0);
	const ctr = clusteredLift(m.map(ctrUnit));
	const atc = clusteredLift(m.map(atcUnit));
	const bi = sum((u) => u.b_impr);
	const ri = sum((u) => u.r_impr);
	return {
		live_orders: units.length,
		measurable_orders: m.length,
		baseline_impressions: bi,
		baseline_clicks: sum((u) => u.b_clicks),
		result_impressions: ri,
		result_clicks: sum((u) => u.r_clicks),
		baseline_ctr: bi ? sum((u) => u.b_clicks) / bi : null,
		result_ctr: ri ? sum((u) => u.r_clicks) / ri : null,
		ctr_lift: ctr.lift,
		ctr_lower95: ctr.lower95,
		ctr_upper95: ctr.upper95,
		ctr_p_value: ctr.pValue,
		atc_lift: atc.lift,
		atc_lower95: atc.lower95,
		atc_upper95: atc.upper95
	};
}

async function units(req: MetricRequest, scope: Scope, ctx: CompileContext, period: 'current' | 'previous' = 'current'): Promise<Unit[]> {
	const b = ctrBase(req, scope, ctx, period);
	const dim = req.groupBy;
	const key = dim ? dimensionExpr(dim, b.timeCol as never) : 'NULL';
	const name = dim === 'seller' ? 'seller_name' : dim === 'provider' ? 'provider_name' : 'NULL';
	const sql = `${b.sql}\nSELECT ${key} AS key, ${name} AS name, measurable, b_impr, b_clicks, b_atc, r_impr, r_clicks, r_atc FROM base ORDER BY order_id`;
	return db.all<Unit>(sql, usedParams(sql, b.params));
}

function groupsOf(us: Unit[]): Unit[][] {
	const groups = new Map<string, Unit[]>();
	for (const u of us) {
		const k = JSON.stringify(u.key);
		groups.set(k, [...(groups.get(k) ?? []), u]);
	}
	return [...groups.values()];
}

/** Equal within 1e-9 relative (integers and text exactly). */
function expectSame(actual: ResultRow, expected: ResultRow, where: string) {
	for (const [k, v] of Object.entries(expected)) {
		const a = actual[k];
		if (typeof v === 'number' && typeof a === 'number') {
			if (Math.abs(a - v) > 1e-9 * Math.max(1, Math.abs(v))) throw new Error(`${where} ${k}: ${a} ≠ ${v}`);
		} else expect(a, `${where} ${k}`).toEqual(v);
	}
}

const R = { from: '2026-05-01', to: '2026-08-31' };
// cube: which table the pre-aggregated path must read (ctr_cube_provider for provider without seller)
const CASES: { name: string; req: MetricRequest; seller?: boolean; providers?: boolean; cube?: string }[] = [
	{ name: 'total', req: { metric: 'ctr' } },
	{ name: 'by category', req: { metric: 'ctr', groupBy: 'category' } },
	{ name: 'by provider', req: { metric: 'ctr', groupBy: 'provider' }, cube: 'ctr_cube_provider' },
	{ name: 'by provider, two providers, with compare', req: { metric: 'ctr', groupBy: 'provider', range: R, compare: true }, providers: true, cube: 'ctr_cube_provider' },
	{ name: 'by month, two providers', req: { metric: 'ctr', groupBy: 'month' }, providers: true, cube: 'ctr_cube_provider' },
	{ name: 'total, two providers', req: { metric: 'ctr' }, providers: true, cube: 'ctr_cube_provider' },
	{ name: 'by month', req: { metric: 'ctr', groupBy: 'month' } },
	{ name: 'by week, dated by window close', req: { metric: 'ctr', groupBy: 'week', range: { ...R, column: 'window_closed_on' } } },
	{ name: 'by seller, sorted by lift, a page', req: { metric: 'ctr', groupBy: 'seller', sort: { field: 'ctr_lift', dir: 'desc' }, limit: 7, offset: 3 } },
	{ name: 'by region, filtered, with compare', req: { metric: 'ctr', groupBy: 'region', filters: { category: ['jewelry', 'home', 'apparel'], formFilled: true }, range: R, compare: true } },
	{ name: 'by form filled', req: { metric: 'ctr', groupBy: 'form_filled' } },
	// a seller's total, by category and by month come from one GROUPING SETS statement (ctr.ts sellerSetGroups)
	{ name: "a seller's own, by category", req: { metric: 'ctr', groupBy: 'category' }, seller: true },
	{ name: "a seller's own, total, with compare", req: { metric: 'ctr', range: { from: '2026-06-01', to: '2026-09-30' }, compare: true }, seller: true },
	{ name: "a seller's own, by month, filtered", req: { metric: 'ctr', groupBy: 'month', filters: { formFilled: true } }, seller: true },
	{ name: "a seller's own, by month, dated by window close", req: { metric: 'ctr', groupBy: 'month', range: { ...R, column: 'window_closed_on' } }, seller: true },
	{ name: "a seller's own, first order or not (not one of the shared sets)", req: { metric: 'ctr', groupBy: 'first_order' }, seller: true }
];

describe.each([true, false])('ctr groups from moments = per-order clusteredLift (pre-aggregates: %s)', (preagg) => {
	it.each(CASES)('$name', async ({ req: raw, seller: scoped, providers: byProviders, cube }) => {
		const req = metricRequestSchema.parse(byProviders ? { ...raw, filters: { ...raw.filters, provider: providers } } : raw);
		const scope = { sellerId: scoped ? seller : null };
		const ctx = { ...contextFrom({ today: TODAY }), preagg };
		const seen: string[] = [];
		const rec = { all: <T,>(sql: string, p: Record<string, unknown>) => (seen.push(sql), db.all<T>(sql, p)) } as unknown as Db;
		const got = await runCtr(rec, req, scope, ctx);
		if (cube) expect(seen.some((q) => q.includes(`FROM ${cube} WHERE`))).toBe(preagg);
		const us = await units(req, scope, ctx);
		expect(us.filter((u) => u.measurable).length).toBeGreaterThan(scoped ? 5 : 50);
		expectSame(got.total!, oracleFigures(us), 'total');
		if (req.groupBy) {
			const dim = req.groupBy;
			let want: ResultRow[] = groupsOf(us).map((g) => ({ [dim]: g[0].key, ...(dim === 'seller' || dim === 'provider' ? { name: g[0].name } : {}), ...oracleFigures(g) }));
			const sort = req.sort ?? { field: dim, dir: 'asc' };
			const dir = sort.dir === 'desc' ? -1 : 1;
			want = [...want].sort((a, b) => {
				const x = a[sort.field] as number | string | null;
				const y = b[sort.field] as number | string | null;
				if (x === y) return 0;
				if (x === null) return 1;
				if (y === null) return -1;
				return (x < y ? -1 : 1) * dir;
			});
			want = want.slice(req.offset ?? 0, (req.offset ?? 0) + (req.limit ?? 1000));
			expect(got.rows.length).toBe(want.length);
			expect(want.length).toBeGreaterThan(1);
			want.forEach((w, i) => expectSame(got.rows[i], w, `row ${i}`));
			const tested = want.filter((r) => typeof r.ctr_p_value === 'number');
			const flags = benjaminiHochberg(tested.map((r) => r.ctr_p_value as number), 0.05);
			expect(got.rows.filter((r) => typeof r.ctr_p_value === 'number').map((r) => r.ctr_significant)).toEqual(flags);
		}
		if (req.compare) {
			const prev = oracleFigures(await units(req, scope, ctx, 'previous'));
			expect(got.previous).toMatchObject(previousPeriod(req.range!.from, req.range!.to));
			expectSame(got.previous!.total!, prev, 'previous total');
			expect(got.deltas!.ctr_lift.change).toBeCloseTo((got.total!.ctr_lift as number) - (prev.ctr_lift as number), 12);
		}
	});

	it("a seller's orders page counts the seller's live orders, alone or beside the seller's CTR total", async () => {
		const scope = { sellerId: seller };
		const ctx = { ...contextFrom({ today: TODAY }), preagg };
		for (const range of [undefined, R, { from: '2030-01-01', to: '2030-01-31' }]) {
			const orders = metricRequestSchema.parse({ metric: 'ctr_orders', limit: 3, ...(range ? { range } : {}) });
			const total = metricRequestSchema.parse({ metric: 'ctr', ...(range ? { range } : {}) });
			const want = (await units(total, scope, ctx)).length;
			const alone = await runCtr(db, orders, scope, ctx);
			const [beside, t] = await Promise.all([runCtr(db, orders, scope, ctx), runCtr(db, total, scope, ctx)]);
			expect(alone.meta.totalRows).toBe(want);
			expect(beside.meta.totalRows).toBe(want);
			expect(t.total!.live_orders).toBe(want);
			expect(beside.rows).toEqual(alone.rows);
			if (range?.from === '2030-01-01') expect(want).toBe(0);
			else expect(want).toBeGreaterThan(5);
		}
	});

	it.each([
		{ name: 'DiD by category', req: { metric: 'ctr_did' as const, groupBy: 'category' as const, range: R } },
		{ name: 'DiD total', req: { metric: 'ctr_did' as const, range: { from: '2026-07-01', to: '2026-08-31' } } }
	])('$name = didLift over treated orders and control SKUs', async ({ req: raw }) => {
		const req = metricRequestSchema.parse(raw);
		const scope = { sellerId: null };
		const ctx = { ...contextFrom({ today: TODAY }), preagg };
		const got = await runCtr(db, req, scope, ctx);
		const b = ctrBase(req, scope, ctx);
		const key = req.groupBy ? dimensionExpr(req.groupBy, b.timeCol as never) : "'all'";
		const treatedSql = `${b.sql}, treated AS (SELECT ${key} AS key, order_id, category, live_day, b_impr, b_clicks, b_atc, r_impr, r_clicks, r_atc FROM base WHERE measurable)`;
		const tSql = `${treatedSql}\nSELECT * FROM treated ORDER BY order_id`;
		const cSql = `${treatedSql}\n${sqlFile('ctr_did_control.sql')}\nSELECT * FROM ctrl_units`;
		const t = await db.all<Unit>(tSql, usedParams(tSql, b.params));
		const c = await db.all<Unit>(cSql, usedParams(cSql, b.params));
		expect(c.length).toBeGreaterThan(20);
		const keys = [...new Set(t.map((u) => JSON.stringify(u.key)))];
		expect(got.rows.length).toBe(keys.length);
		for (const k of keys) {
			const tu = t.filter((u) => JSON.stringify(u.key) === k);
			const cu = c.filter((u) => JSON.stringify(u.key) === k);
			const ctr = didLift(tu.map(ctrUnit), cu.map(ctrUnit));
			const atc = didLift(tu.map(atcUnit), cu.map(atcUnit));
			const row = got.rows.find((r) => JSON.stringify(req.groupBy ? r[req.groupBy] : 'all') === k)!;
			expectSame(row, { treated_orders: ctr.nTreated, control_units: ctr.nControl, treated_lift: ctr.treatedLift, control_lift: ctr.controlLift, did_lift: ctr.lift, did_lower95: ctr.lower95, did_upper95: ctr.upper95, atc_did_lift: atc.lift }, k);
		}
	});
});

it('CTR_DEF still names the dimensions the cases use', () => {
	for (const c of CASES) if (c.req.groupBy) expect(CTR_DEF.dimensions).toContain(c.req.groupBy);
});
