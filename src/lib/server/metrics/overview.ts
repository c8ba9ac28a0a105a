/**
 * Overview KPI tiles: per tile source and period one ordinary compiled total-row request
 * (compileGrouped with just the tile's measures), so the monthly rollups serve them as they serve
 * the source's page; with the CTR tile's (ctr.ts ctrTotalsQuery: the cube when it can answer) they
 * run concurrently through the engine (runKpis). Incentives come from incentiveDecisions (the bills' code).
 */
import { shanghaiDay } from '../../calendar.ts';
import { compileGrouped, previousPeriod, type CompileContext, type Period } from './compile.ts';
import { BENCHMARKS, DEFS, slaDef, type MetricDef } from './defs.ts';
import { serviceAmounts } from '../billing/amounts.ts';
import type { QueryEngine } from './engine.ts';
import { incentiveDecisions } from './incentives.ts';
import { INCENTIVE_STORE_VERSION } from '../preagg/incentive-decisions.ts';
import type { MetricRequest, Scope } from './request.ts';
import { delta, type MetricResult, type ResultRow } from './result.ts';
import { ctrTotalsQuery } from './ctr.ts';
import { sqlFile } from './sql.ts';

interface Source {
	key: string;
	/** the request naming the source's metric set */
	metric: Pick<MetricRequest, 'metric' | 'sla'>;
	def: MetricDef;
	/** the measures the tiles read (subset of def.measures) */
	measures: string[];
}

const SOURCES: Source[] = [
	{ key: 'volume', metric: { metric: 'volume' }, def: DEFS.volume, measures: ['orders', 'images'] },
	{ key: 'rework', metric: { metric: 'rework' }, def: DEFS.rework, measures: ['rework_rate'] },
	{ key: 'first_draft', metric: { metric: 'sla', sla: 'first_draft' }, def: slaDef('first_draft'), measures: ['mean_hours'] },
	{ key: 'on_time', metric: { metric: 'sla', sla: 'on_time_delivery' }, def: slaDef('on_time_delivery'), measures: ['attainment', 'beyond_calendar', 'missing_years'] },
	{ key: 'disputes', metric: { metric: 'disputes' }, def: DEFS.disputes, measures: ['dispute_rate'] },
	{ key: 'arbitration', metric: { metric: 'sla', sla: 'arbitration' }, def: slaDef('arbitration'), measures: ['mean_hours'] },
	{ key: 'compensation', metric: { metric: 'compensation' }, def: DEFS.compensation, measures: ['compensation_fen'] }
];

export interface Tile {
	key: string;
	label: string;
	type: 'integer' | 'ratio' | 'hours' | 'fen';
	value: number | null;
	previous?: number | null;
	delta?: ReturnType<typeof delta>;
	benchmark?: number;
	industry?: number;
	flagged?: string;
}

/** The source's request: its default time column, the overview's filters and range, just the tile's measures. */
function sourceRequest(s: Source, req: MetricRequest): MetricRequest {
	return {
		...s.metric,
		...(req.range ? { range: { from: req.range.from, to: req.range.to } } : {}),
		...(req.filters ? { filters: req.filters } : {}),
		measures: s.measures
	} as MetricRequest;
}

/**
 * The KPI statements: per source and period one ordinary total-row request (compileGrouped), so
 * the monthly rollups serve the whole months exactly as they serve the source's own page.
 */
export function compileOverview(req: MetricRequest, scope: Scope, ctx: CompileContext): KpiQuery[] {
	const periods: Period[] = req.compare && req.range ? ['current', 'previous'] : ['current'];
	return SOURCES.flatMap((s) =>
		periods.map((period) => {
			const c = compileGrouped(sourceRequest(s, req), scope, ctx, { period, grouped: false });
			return { alias: `${s.key}_${period === 'current' ? 'c' : 'p'}`, sql: c.sql, params: c.params };
		})
	);
}

interface KpiQuery {
	/** source key _c (current) or _p (previous) */
	alias: string;
	sql: string;
	params: Record<string, unknown>;
}

/**
 * Runs the single-row statements concurrently through the engine. (As one statement of scalar
 * subqueries they were no faster at scale 1 and twice as slow at scale 100: measured.)
 */
async function runKpis(engine: QueryEngine, qs: KpiQuery[]): Promise<Map<string, ResultRow>> {
	const rows = await Promise.all(qs.map((q) => engine.all<ResultRow>(q.sql, q.params)));
	return new Map(qs.map((q, i) => [q.alias, rows[i][0] ?? {}]));
}

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function monthsOf(from: string, to: string): { fromMonth: string; toMonth: string } {
	return { fromMonth: from.slice(0, 7), toMonth: to.slice(0, 7) };
}

/** Months YYYY-MM from the month of `from` to the month of `to`. */
function monthList(from: string, to: string): string[] {
	const months: string[] = [];
	for (let m = from.slice(0, 7); m <= to.slice(0, 7); ) {
		months.push(m);
		const [y, mm] = m.split('-').map(Number);
		m = mm === 12 ? `${y + 1}-01` : `${y}-${String(mm + 1).padStart(2, '0')}`;
	}
	return months;
}

/**
 * Net service amount under the billing month rules, from the bills' own code (whole months), for
 * each range: one serviceAmounts call over the months of all ranges (its rows are per month, so a
 * range's figure is the sum of its months' rows whatever else the call covered).
 */
async function revenues(engine: QueryEngine, scope: Scope, ranges: { from: string; to: string }[], preagg: boolean | undefined): Promise<number[]> {
	if (!ranges.length) return [];
	const from = ranges.map((r) => r.from).sort()[0];
	const to = ranges.map((r) => r.to).sort().at(-1)!;
	// The request already knows whether the pre-aggregates are current (the rule feeSource applies):
	// asking again would queue one more statement in front of this one.
	const source = preagg ? 'preagg' : 'view';
	const rows = await serviceAmounts(engine, { ...monthsOf(from, to), groupBy: 'month', source, ...(scope.sellerId !== null ? { sellerId: scope.sellerId } : {}) });
	const byMonth = new Map<string, number>();
	for (const r of rows) byMonth.set(String(r.month), (byMonth.get(String(r.month)) ?? 0) + r.net_service_amount);
	return ranges.map((r) => monthList(r.from, r.to).reduce((a, m) => a + (byMonth.get(m) ?? 0), 0));
}

/** Incentives whose result window closes (L+29) in [from, to] and before today — incentiveDecisions, the bills' code. */
async function incentiveTotal(engine: QueryEngine, scope: Scope, from: string, to: string, asOf: string): Promise<number> {
	const lists = await Promise.all(monthList(from, to).map((m) => incentiveDecisions(engine, { closesInMonth: m, scope })));
	let sum = 0;
	for (const l of lists) for (const d of l) if (d.closeDay! >= from && d.closeDay! <= to && d.closeDay! < asOf) sum += d.amountFen;
	return sum;
}

/**
 * The incentive tile for each range: the stored decisions of incentiveDecisions' rule summed per
 * close day (incentive_tile_stored.sql). Without current pre-aggregates, or while the stored
 * decisions were made by another rule version (until start-up rebuilds them): incentiveDecisions
 * month by month, the bills' code.
 */
async function incentiveTotals(engine: QueryEngine, scope: Scope, ranges: { from: string; to: string }[], asOf: string, preagg: boolean | undefined): Promise<number[]> {
	if (!ranges.length) return [];
	if (!preagg) return Promise.all(ranges.map((r) => incentiveTotal(engine, scope, r.from, r.to, asOf)));
	const params: Record<string, unknown> = {
		inc_from: ranges.map((r) => r.from).sort()[0],
		inc_to: ranges.map((r) => r.to).sort().at(-1)!,
		today: asOf
	};
	if (scope.sellerId !== null) params.scope_seller = scope.sellerId;
	// the stored decisions (closed windows: what incentiveDecisions reads for them too)
	const stored = await engine.all<{ close_day: string | null; fen: number | null; stale: boolean }>(
		sqlFile('incentive_tile_stored.sql')
			.replaceAll('{{rule}}', () => `'${INCENTIVE_STORE_VERSION}'`)
			// without a seller scope, the per-day totals of the same rows
			.replace('{{decisions}}', () => (scope.sellerId !== null ? 'incentive_decisions' : 'incentive_day_totals'))
			.replace('{{and_where}}', () => (scope.sellerId !== null ? 'AND seller_id = $scope_seller' : '')),
		params
	);
	if (stored.some((r) => r.stale)) return Promise.all(ranges.map((r) => incentiveTotal(engine, scope, r.from, r.to, asOf)));
	const out = ranges.map(() => 0);
	for (const r of stored)
		ranges.forEach((g, i) => {
			if (r.close_day! >= g.from && r.close_day! <= g.to) out[i] += Number(r.fen);
		});
	return out;
}

export async function runOverview(engine: QueryEngine, req: MetricRequest, scope: Scope, ctx: CompileContext): Promise<MetricResult> {
	const compare = Boolean(req.compare && req.range);
	const today = ctx.today ?? shanghaiDay(ctx.now);
	const prev = req.range ? previousPeriod(req.range.from, req.range.to) : null;
	const ranges = req.range ? [req.range, ...(compare && prev ? [prev] : [])] : [];
	const ctrReq: MetricRequest = { metric: 'ctr', ...(req.range ? { range: { from: req.range.from, to: req.range.to } } : {}), ...(req.filters ? { filters: req.filters } : {}) } as MetricRequest;
	const ctrQs = await Promise.all((compare ? (['current', 'previous'] as const) : (['current'] as const)).map(async (p) => ({ alias: `ctr_${p === 'current' ? 'c' : 'p'}`, ...(await ctrTotalsQuery(engine, ctrReq, scope, ctx, p)) })));
	const [byKey, incs, revs] = await Promise.all([runKpis(engine, [...compileOverview(req, scope, ctx), ...ctrQs]), incentiveTotals(engine, scope, ranges, today, ctx.preagg), revenues(engine, scope, ranges, ctx.preagg)]);
	const incCur = ranges.length ? incs[0] : null;
	const incPrev = ranges.length > 1 ? incs[1] : null;
	const revCur = ranges.length ? revs[0] : null;
	const revPrev = ranges.length > 1 ? revs[1] : null;
	const get = (k: string, p: 'c' | 'p'): ResultRow => byKey.get(`${k}_${p}`) ?? {};
	const tiles: Tile[] = [];
	const add = (key: string, label: string, type: Tile['type'], src: string, measure: string, extra: Partial<Tile> = {}) => {
		const value = num(get(src, 'c')[measure]);
		const t: Tile = { key, label, type, value, ...extra };
		if (compare) {
			t.previous = num(get(src, 'p')[measure]);
			t.delta = delta(value, t.previous);
		}
		tiles.push(t);
	};
	add('orders', 'Orders', 'integer', 'volume', 'orders');
	add('images', 'Images', 'integer', 'volume', 'images');
	const revTile: Tile = { key: 'service_revenue', label: 'Service revenue (net service amount, whole months)', type: 'fen', value: revCur };
	if (compare) {
		revTile.previous = revPrev;
		revTile.delta = delta(revCur, revPrev);
	}
	tiles.push(revTile);
	add('rework_rate', 'Rework rate', 'ratio', 'rework', 'rework_rate', { benchmark: BENCHMARKS.reworkRate, industry: BENCHMARKS.reworkIndustry });
	add('first_draft_hours', 'Mean first draft (h)', 'hours', 'first_draft', 'mean_hours', { benchmark: BENCHMARKS.firstDraftHours });
	const bc = num(get('on_time', 'c').beyond_calendar);
	add('on_time_attainment', 'On-time delivery', 'ratio', 'on_time', 'attainment', bc ? { flagged: `${bc} deadline(s) past the calendar (${String(get('on_time', 'c').missing_years)}): counted on weekdays only` } : {});
	add('dispute_rate', 'Dispute rate', 'ratio', 'disputes', 'dispute_rate');
	add('arbitration_hours', 'Mean arbitration (h)', 'hours', 'arbitration', 'mean_hours', { benchmark: BENCHMARKS.arbitrationHours });
	add('ctr_lift', 'CTR lift', 'ratio', 'ctr', 'ctr_lift', { benchmark: BENCHMARKS.ctrLift });
	add('atc_lift', 'Add-to-cart lift', 'ratio', 'ctr', 'atc_lift', { benchmark: BENCHMARKS.atcLift });
	const inc: Tile = { key: 'incentives', label: 'Incentives (windows closed in range)', type: 'fen', value: incCur };
	if (compare) {
		inc.previous = incPrev;
		inc.delta = delta(incCur, incPrev);
	}
	tiles.push(inc);
	add('compensation', 'Compensation paid', 'fen', 'compensation', 'compensation_fen');
	const total: ResultRow = Object.fromEntries(tiles.map((t) => [t.key, t.value]));
	return {
		columns: tiles.map((t) => ({ name: t.key, type: t.type, label: t.label, ...(t.benchmark !== undefined ? { benchmark: t.benchmark } : {}) })),
		rows: tiles as unknown as ResultRow[],
		total,
		...(compare ? { deltas: Object.fromEntries(tiles.map((t) => [t.key, t.delta!])) } : {}),
		meta: {
			sqlFiles: ['order_dims.sql', ...SOURCES.map((s) => s.def.sqlFile), '../billing/amounts.sql', '../billing/amounts_row.sql', 'ctr_windows.sql', 'ctr_totals.sql', 'incentive_orders.sql', 'incentive_days.sql', 'incentive_tile_stored.sql'],
			...(ctx.approx ? { approx: true } : {}),
			...(bc ? { beyondCalendar: { count: bc, years: String(get('on_time', 'c').missing_years).split(',').map(Number) } } : {}),
			notes: [
				'Service revenue = net_service_amount from src/lib/server/billing/amounts.ts (the bills’ code) over the whole months the range touches, for the scope’s seller; dimension filters do not apply to it. Its incentives are those billed (issued months).'
			]
		}
	};
}
