/**
 * CTR and add-to-cart lift. Window sums are computed in SQL (sql/ctr_windows.sql, or
 * pre_ctr_windows.sql over the pre-aggregates). Groups: SQL returns ONE row per group with the
 * moments of its measurable orders (sql/ctr_moments.sql) and clusteredLiftFromMoments gives the
 * figures the per-order clusteredLift gave (test/integration/metrics/ctr-moments.test.ts); the
 * total is the sum of the groups' moments. Orders page: sorted and paged in SQL, its per-order
 * significance from the window sums (incentive-sums.ts) or the page's day arrays.
 *
 * Headline per group: ratio-of-sums lift over the group's MEASURABLE orders (no significance
 * filter), 95% CI with the order as unit, Benjamini–Hochberg flags (q = 0.05) across the groups
 * on screen. Beside it, difference-in-differences against same-category SKUs without an order
 * live within ±45 days (didLiftFromMoments, both sides as SQL moments), labelled as such.
 */
import { addMoments, benjaminiHochberg, clusteredLiftFromMoments, didLiftFromMoments, emptyMoments, liftFromWindows, windowLift, type DayCounts, type LiftMoments } from '../../stats/index.ts';
import { ratioWindowFromSums } from './incentive-sums.ts';
import { contextParams, dimensionExpr, filterWhere, previousPeriod, rangeWhere, timeColumnOf, usedParams, withBase, type CompileContext } from './compile.ts';
import { BENCHMARKS, MetricRequestError, type MetricDef } from './defs.ts';
import type { QueryEngine } from './engine.ts';
import { sharedAll } from './in-flight.ts';
import { currentDataVersion } from '../preagg/index.ts';
import type { MetricRequest, Scope } from './request.ts';
import { delta, type MetricResult, type ResultColumn, type ResultRow } from './result.ts';
import { sqlFile, templateFile } from './sql.ts';

export const CTR_DEF: MetricDef = {
	name: 'ctr',
	label: 'CTR lift',
	sqlFile: 'ctr_windows.sql',
	timeColumns: ['live_at', 'window_closed_on'],
	dimensions: ['category', 'provider', 'region', 'seller', 'image_type', 'form_filled', 'first_order', 'day', 'week', 'month'],
	measures: []
};

export interface CtrBase {
	sql: string;
	params: Record<string, unknown>;
	timeCol: string;
}

/** `WITH od, base` where base = one row per live order in the request's filters, with window sums. */
export function ctrBase(req: MetricRequest, scope: Scope, ctx: CompileContext, period: 'current' | 'previous' = 'current'): CtrBase {
	const timeCol = timeColumnOf(CTR_DEF, req);
	const w = filterWhere(CTR_DEF, req.filters, scope);
	const r = rangeWhere(timeCol, req.range, period);
	const and = [...w.clauses, ...r.clauses].map((c) => `AND ${c}`).join(' ');
	const sql = withBase(scope, templateFile('ctr_windows.sql', ctx.preagg).replace('{{and_where}}', () => and), ctx.preagg);
	return { sql, params: { ...w.params, ...r.params, ...contextParams(ctx) }, timeCol };
}

/** One row of sql/ctr_moments.sql: a group's moments, sums as decimal text. */
interface MomentRow {
	key: unknown;
	name: string | null;
	first_order_id: string;
	live_orders: number;
	n: number;
	[sum: string]: unknown;
}

/** A group's figures before shaping: CTR and add-to-cart moments (they share the impression sums). */
interface GroupMoments {
	key: unknown;
	name: string | null;
	firstOrderId: string;
	liveOrders: number;
	ctr: LiftMoments;
	atc: LiftMoments;
}

function momentsOf(r: MomentRow, num: 'c' | 'a'): LiftMoments {
	const b = (col: string) => BigInt(String(r[col]));
	const x = `b${num}`;
	const y = `r${num}`;
	return {
		n: r.n,
		bNum: b(x),
		bDen: b('bi'),
		rNum: b(y),
		rDen: b('ri'),
		bNumBNum: b(`${x}_${x}`),
		bNumBDen: b(`${x}_bi`),
		bNumRNum: b(`${x}_${y}`),
		bNumRDen: b(`${x}_ri`),
		bDenBDen: b('bi_bi'),
		bDenRNum: b(`bi_${y}`),
		bDenRDen: b('bi_ri'),
		rNumRNum: b(`${y}_${y}`),
		rNumRDen: b(`${y}_ri`),
		rDenRDen: b('ri_ri')
	};
}

const groupMoments = (r: MomentRow): GroupMoments => ({ key: r.key, name: r.name, firstOrderId: r.first_order_id, liveOrders: r.live_orders, ctr: momentsOf(r, 'c'), atc: momentsOf(r, 'a') });

const GROUP_COLUMNS: ResultColumn[] = [
	{ name: 'live_orders', type: 'integer', label: 'Live orders' },
	{ name: 'measurable_orders', type: 'integer', label: 'Measurable orders' },
	{ name: 'baseline_impressions', type: 'integer', label: 'Baseline impressions' },
	{ name: 'baseline_clicks', type: 'integer', label: 'Baseline clicks' },
	{ name: 'result_impressions', type: 'integer', label: 'Result impressions' },
	{ name: 'result_clicks', type: 'integer', label: 'Result clicks' },
	{ name: 'baseline_ctr', type: 'ratio', label: 'Baseline CTR' },
	{ name: 'result_ctr', type: 'ratio', label: 'Result CTR' },
	{ name: 'ctr_lift', type: 'ratio', label: 'CTR lift', benchmark: BENCHMARKS.ctrLift },
	{ name: 'ctr_lower95', type: 'ratio', label: 'CTR lift, 95% CI low (order as unit)' },
	{ name: 'ctr_upper95', type: 'ratio', label: 'CTR lift, 95% CI high' },
	{ name: 'ctr_p_value', type: 'number', label: 'p-value' },
	{ name: 'ctr_significant', type: 'boolean', label: 'Significant (Benjamini–Hochberg, q = 0.05, over the rows shown)' },
	{ name: 'atc_lift', type: 'ratio', label: 'Add-to-cart lift', benchmark: BENCHMARKS.atcLift },
	{ name: 'atc_lower95', type: 'ratio', label: 'Add-to-cart lift, 95% CI low' },
	{ name: 'atc_upper95', type: 'ratio', label: 'Add-to-cart lift, 95% CI high' }
];

function groupFigures(g: Pick<GroupMoments, 'liveOrders' | 'ctr' | 'atc'>): ResultRow {
	const ctr = clusteredLiftFromMoments(g.ctr);
	const atc = clusteredLiftFromMoments(g.atc);
	const bi = Number(g.ctr.bDen);
	const ri = Number(g.ctr.rDen);
	const bc = Number(g.ctr.bNum);
	const rc = Number(g.ctr.rNum);
	return {
		live_orders: g.liveOrders,
		measurable_orders: g.ctr.n,
		baseline_impressions: bi,
		baseline_clicks: bc,
		result_impressions: ri,
		result_clicks: rc,
		baseline_ctr: bi ? bc / bi : null,
		result_ctr: ri ? rc / ri : null,
		ctr_lift: ctr.lift,
		ctr_lower95: ctr.lower95,
		ctr_upper95: ctr.upper95,
		ctr_p_value: ctr.pValue,
		ctr_significant: null,
		atc_lift: atc.lift,
		atc_lower95: atc.lower95,
		atc_upper95: atc.upper95
	};
}

function sortPage(rows: ResultRow[], req: MetricRequest, fields: string[], fallback: string): ResultRow[] {
	const sort = req.sort ?? { field: fallback, dir: 'asc' as const };
	if (!fields.includes(sort.field)) throw new MetricRequestError(`cannot sort by ${sort.field} (one of: ${fields.join(', ')})`);
	const dir = sort.dir === 'desc' ? -1 : 1;
	const sorted = [...rows].sort((a, b) => {
		const x = a[sort.field];
		const y = b[sort.field];
		if (x === y) return 0;
		if (x === null || x === undefined) return 1;
		if (y === null || y === undefined) return -1;
		return (x < y ? -1 : 1) * dir;
	});
	const off = req.offset ?? 0;
	return sorted.slice(off, off + (req.limit ?? 1000));
}

/** sql/ctr_moments.sql over `units` grouped by `key` (whitelisted expressions only). */
const momentsSql = (units: string, key: string, name: string) =>
	sqlFile('ctr_moments.sql')
		.replaceAll('{{units}}', () => units)
		.replaceAll('{{key}}', () => key)
		.replaceAll('{{name}}', () => name);

// ctr_cube (preagg/ctr-units.ts) holds the moments per live day and coarse dimension, and
// ctr_cube_provider per live day and provider: each answers the same group rows as ctr_units for
// the requests naming only its dimensions (and time), never a seller.
const CUBE_DIMS: ReadonlySet<string> = new Set(['category', 'region', 'image_type', 'form_filled', 'first_order', 'day', 'week', 'month']);
const CUBE_FILTERS: ReadonlySet<string> = new Set(['category', 'region', 'imageType', 'formFilled', 'firstOrder']);
const PROVIDER_CUBE_DIMS: ReadonlySet<string> = new Set(['provider', 'day', 'week', 'month']);
const PROVIDER_CUBE_FILTERS: ReadonlySet<string> = new Set(['provider']);

type Cube = 'ctr_cube' | 'ctr_cube_provider';

const only = (req: MetricRequest, dims: ReadonlySet<string>, filters: ReadonlySet<string>) =>
	(!req.groupBy || dims.has(req.groupBy)) && Object.entries(req.filters ?? {}).every(([k, v]) => v === undefined || filters.has(k));

async function cubeFor(engine: QueryEngine, req: MetricRequest, scope: Scope, ctx: CompileContext): Promise<Cube | null> {
	if (!ctx.preagg || scope.sellerId !== null) return null;
	if (only(req, CUBE_DIMS, CUBE_FILTERS)) return 'ctr_cube';
	if (only(req, PROVIDER_CUBE_DIMS, PROVIDER_CUBE_FILTERS)) return 'ctr_cube_provider';
	return null;
}

/** A cube request's where-clauses (filters, range), group key expression and parameters. */
function cubeWhere(req: MetricRequest, scope: Scope, ctx: CompileContext, period: 'current' | 'previous') {
	const timeCol = timeColumnOf(CTR_DEF, req);
	const w = filterWhere(CTR_DEF, req.filters, scope);
	const r = rangeWhere(timeCol, req.range, period);
	const and = [...w.clauses, ...r.clauses].map((c) => `AND ${c}`).join(' ');
	const key = req.groupBy ? dimensionExpr(req.groupBy, timeCol) : 'NULL';
	return { and, key, params: { ...w.params, ...r.params, ...contextParams(ctx) } };
}

/**
 * A cube's cells with m for a request (sql/ctr_cube_source.sql): the month cube serves the whole
 * months of the range whose windows are all closed or all open today, the day cube the rest —
 * when the range is on live_at and the grouping is not finer than a month; else the day cube.
 */
function cubeSource(cube: Cube, req: MetricRequest, and: string, period: 'current' | 'previous'): { sql: string; params: Record<string, unknown> } {
	if (timeColumnOf(CTR_DEF, req) !== 'live_at' || req.groupBy === 'day' || req.groupBy === 'week') {
		return { sql: `(SELECT *, (window_closed_on < CAST($today AS DATE))::BIGINT AS m FROM ${cube} WHERE true ${and})`, params: {} };
	}
	const range = req.range ? (period === 'current' ? req.range : previousPeriod(req.range.from, req.range.to)) : null;
	const whole = (m0: string, m1: string) =>
		[...(range ? [`${m0} >= CAST($mw_from AS DATE)`, `${m1} <= CAST($mw_to AS DATE)`] : []), `(${m1} + 29 < CAST($today AS DATE) OR ${m0} + 29 >= CAST($today AS DATE))`].join(' AND ');
	const sql = sqlFile('ctr_cube_source.sql')
		.replaceAll('{{whole_day}}', () => whole("date_trunc('month', live_day)::DATE", 'last_day(live_day)'))
		.replaceAll('{{whole_month}}', () => whole('month', 'month_end'))
		.replaceAll('{{and_where}}', () => and)
		.replaceAll('{{cube}}', () => cube);
	return { sql, params: range ? { mw_from: range.from, mw_to: range.to } : {} };
}

async function cubeGroups(engine: QueryEngine, cube: Cube, req: MetricRequest, scope: Scope, ctx: CompileContext, period: 'current' | 'previous'): Promise<GroupMoments[]> {
	const { and, key, params } = cubeWhere(req, scope, ctx, period);
	const name = req.groupBy === 'provider' ? 'arg_min(provider_name, first_order_id)' : 'NULL';
	const src = cubeSource(cube, req, and, period);
	const sql = sqlFile('ctr_moments_cube.sql')
		.replace('{{source}}', () => src.sql)
		.replaceAll('{{name}}', () => name)
		.replaceAll('{{key}}', () => key);
	const rows = await sharedAll<MomentRow>(engine, sql, usedParams(sql, { ...params, ...src.params }));
	return rows.map(groupMoments).sort((x, y) => (x.firstOrderId < y.firstOrderId ? -1 : x.firstOrderId > y.firstOrderId ? 1 : 0));
}

/**
 * A seller's page asks for the seller's CTR total, by category and by month over the same filters:
 * in a seller's scope these three come from one statement (GROUPING SETS, shared while in flight by
 * sharedAll), one scan of ctr_units for the seller's rows instead of three. Per grouping set the
 * same aggregates over the same rows as ctr_moments.sql's GROUP BY 1, so the same moments.
 */
const SELLER_SETS = { category: 1, month: 2, total: 3 } as const; // GROUPING(category, month)

async function sellerSetGroups(engine: QueryEngine, b: CtrBase, set: keyof typeof SELLER_SETS): Promise<MomentRow[]> {
	const cat = dimensionExpr('category', b.timeCol as never);
	const mon = dimensionExpr('month', b.timeCol as never);
	const sql = `${b.sql}\n${momentsSql('base', '{{key}}', 'NULL')
		.replace('{{key}} AS key', () => `CASE WHEN GROUPING(${cat}) = 0 THEN ${cat} ELSE ${mon} END AS key, GROUPING(${cat}, ${mon}) AS grouping_id`)
		.replace(/GROUP BY 1\s*$/, () => `GROUP BY GROUPING SETS ((${cat}), (${mon}), ())`)}`;
	const rows = await sharedAll<MomentRow & { grouping_id: number }>(engine, sql, usedParams(sql, b.params));
	// the empty grouping set gives a row even without orders; GROUP BY 1 gives none
	return rows.filter((r) => r.grouping_id === SELLER_SETS[set] && r.live_orders > 0);
}

const sellerSet = (req: MetricRequest, scope: Scope): keyof typeof SELLER_SETS | null =>
	scope.sellerId === null ? null : req.groupBy === undefined ? 'total' : req.groupBy === 'category' || req.groupBy === 'month' ? req.groupBy : null;

/** The groups' moments of one period, in the order of their first order (the per-order computation's order). */
async function periodGroups(engine: QueryEngine, req: MetricRequest, scope: Scope, ctx: CompileContext, period: 'current' | 'previous'): Promise<GroupMoments[]> {
	const cube = await cubeFor(engine, req, scope, ctx);
	if (cube) return cubeGroups(engine, cube, req, scope, ctx, period);
	const b = ctrBase(req, scope, ctx, period);
	const set = sellerSet(req, scope);
	if (set) return (await sellerSetGroups(engine, b, set)).map(groupMoments).sort((x, y) => (x.firstOrderId < y.firstOrderId ? -1 : x.firstOrderId > y.firstOrderId ? 1 : 0));
	const dim = req.groupBy;
	const key = dim ? dimensionExpr(dim, b.timeCol as never) : 'NULL';
	const name = dim === 'seller' ? 'arg_min(seller_name, order_id)' : dim === 'provider' ? 'arg_min(provider_name, order_id)' : 'NULL';
	const sql = `${b.sql}\n${momentsSql('base', key, name)}`;
	const rows = await sharedAll<MomentRow>(engine, sql, usedParams(sql, b.params));
	return rows.map(groupMoments).sort((x, y) => (x.firstOrderId < y.firstOrderId ? -1 : x.firstOrderId > y.firstOrderId ? 1 : 0));
}

/**
 * The overview's CTR tile for one period as one single-row statement (measurable_orders,
 * ctr_lift, atc_lift): ratio-of-sums lift over the measurable orders (sql/ctr_totals.sql), from a
 * cube's cells when one can answer (the same integer sums, so the same doubles), else the orders.
 */
export async function ctrTotalsQuery(engine: QueryEngine, req: MetricRequest, scope: Scope, ctx: CompileContext, period: 'current' | 'previous'): Promise<{ sql: string; params: Record<string, unknown> }> {
	const cube = await cubeFor(engine, { ...req, groupBy: undefined }, scope, ctx);
	if (!cube) {
		const b = ctrBase(req, scope, ctx, period);
		const sql = `${b.sql}\n${sqlFile('ctr_totals.sql')}`;
		return { sql, params: usedParams(sql, b.params) };
	}
	const timeCol = timeColumnOf(CTR_DEF, req);
	const w = filterWhere(CTR_DEF, req.filters, scope);
	const r = rangeWhere(timeCol, req.range, period);
	const and = [...w.clauses, ...r.clauses].map((c) => `AND ${c}`).join(' ');
	const src = cubeSource(cube, req, and, period);
	const sql = sqlFile('ctr_totals_cube.sql').replace('{{source}}', () => src.sql);
	return { sql, params: usedParams(sql, { ...w.params, ...r.params, ...contextParams(ctx), ...src.params }) };
}

/** Total and (grouped) rows of one period: moments add up, so the total is the sum of the groups. */
function periodFigures(groups: GroupMoments[], req: MetricRequest): { total: ResultRow; rows: ResultRow[] } {
	const dim = req.groupBy;
	const all = groups.reduce((a, g) => ({ liveOrders: a.liveOrders + g.liveOrders, ctr: addMoments(a.ctr, g.ctr), atc: addMoments(a.atc, g.atc) }), { liveOrders: 0, ctr: emptyMoments(), atc: emptyMoments() });
	const total = groupFigures(all);
	if (!dim) return { total, rows: [total] };
	let rows: ResultRow[] = groups.map((g) => ({ [dim]: g.key, ...(dim === 'seller' || dim === 'provider' ? { name: g.name } : {}), ...groupFigures(g) }));
	rows = sortPage(rows, req, [dim, 'name', ...GROUP_COLUMNS.map((c) => c.name)], dim);
	// BH across the cells on screen, on the CTR lift's p-values.
	const tested = rows.filter((r) => typeof r.ctr_p_value === 'number');
	const flags = benjaminiHochberg(tested.map((r) => r.ctr_p_value as number), 0.05);
	tested.forEach((r, i) => (r.ctr_significant = flags[i]));
	return { total, rows };
}

const DELTA_COLUMNS = GROUP_COLUMNS.filter((c) => c.type !== 'boolean').map((c) => c.name);

async function ctrGroups(engine: QueryEngine, req: MetricRequest, scope: Scope, ctx: CompileContext): Promise<MetricResult> {
	const dim = req.groupBy;
	if (dim && !CTR_DEF.dimensions.includes(dim)) throw new MetricRequestError(`ctr cannot be grouped by ${dim}`);
	const compare = Boolean(req.compare && req.range);
	const [cur, prev] = await Promise.all([periodGroups(engine, req, scope, ctx, 'current'), compare ? periodGroups(engine, req, scope, ctx, 'previous') : null]);
	const { total, rows } = periodFigures(cur, req);
	const columns: ResultColumn[] = [
		...(dim ? [{ name: dim, type: 'text' as const, label: dim }] : []),
		...(dim === 'seller' || dim === 'provider' ? [{ name: 'name', type: 'text' as const, label: 'Name' }] : []),
		...GROUP_COLUMNS
	];
	const out: MetricResult = {
		columns,
		rows,
		total,
		meta: {
			sqlFiles: ['order_dims.sql', 'ctr_windows.sql', 'ctr_moments.sql'],
			notes: ['Lift over measurable orders only (live, not refunded, window closed before today, ≥ 1,000 impressions in both windows, baseline CTR > 0); no significance filter. 95% CI with the order as unit.']
		}
	};
	if (prev) {
		const p = periodFigures(prev, req);
		out.previous = { ...previousPeriod(req.range!.from, req.range!.to), rows: p.rows, total: p.total };
		out.deltas = Object.fromEntries(DELTA_COLUMNS.map((c) => [c, delta(total[c], p.total[c])]));
	} else if (req.compare && !req.range) {
		out.meta.notes!.push('compare needs a time range');
	}
	return out;
}

const ORDER_SORT = ['order_id', 'seller_id', 'provider_id', 'category', 'live_day', 'window_closed_on', 'b_impr', 'r_impr', 'baseline_ctr', 'result_ctr', 'ctr_lift', 'atc_lift'];

/** Day-level counts of a few orders, k = day − L from kFrom to kTo. */
export async function orderDays(engine: QueryEngine, orderIds: string[], kFrom: number, kTo: number): Promise<Map<string, (DayCounts & { k: number; date: string })[]>> {
	const out = new Map<string, (DayCounts & { k: number; date: string })[]>();
	if (!orderIds.length) return out;
	const rows = await engine.all<{ order_id: string; k: number; date: string; impressions: number; clicks: number; add_to_cart: number }>(sqlFile('ctr_days.sql'), {
		order_ids: JSON.stringify(orderIds),
		k_from: kFrom,
		k_to: kTo
	});
	for (const r of rows) {
		const list = out.get(r.order_id) ?? [];
		list.push({ k: r.k, date: r.date, impressions: r.impressions, clicks: r.clicks, addToCart: r.add_to_cart });
		out.set(r.order_id, list);
	}
	return out;
}

async function ctrOrders(engine: QueryEngine, req: MetricRequest, scope: Scope, ctx: CompileContext): Promise<MetricResult> {
	const b = ctrBase(req, scope, ctx);
	const sort = req.sort ?? { field: 'live_day', dir: 'desc' as const };
	if (!ORDER_SORT.includes(sort.field)) throw new MetricRequestError(`cannot sort orders by ${sort.field} (one of: ${ORDER_SORT.join(', ')})`);
	const sql = `${b.sql},
page AS (
  SELECT order_id, seller_id, seller_name, provider_id, provider_name, sku_id, category, live_day, window_closed_on, refunded, measurable,
    b_impr, b_clicks, b_atc, r_impr, r_clicks, r_atc,${ctx.preagg ? `\n    ${SUM_COLUMNS.join(', ')},` : ''}
    b_clicks::DOUBLE / nullif(b_impr, 0) AS baseline_ctr, r_clicks::DOUBLE / nullif(r_impr, 0) AS result_ctr,
    (r_clicks::DOUBLE / nullif(r_impr, 0)) / nullif(b_clicks::DOUBLE / nullif(b_impr, 0), 0) - 1 AS ctr_lift,
    (r_atc::DOUBLE / nullif(r_impr, 0)) / nullif(b_atc::DOUBLE / nullif(b_impr, 0), 0) - 1 AS atc_lift
  FROM base
)
SELECT * FROM page
ORDER BY "${sort.field}" ${sort.dir === 'desc' ? 'DESC' : 'ASC'} NULLS LAST, order_id
LIMIT $limit OFFSET $offset`;
	// The count as its own statement: count(*) OVER () made DuckDB keep every row for the window
	// (twice the page's time); this one is the same for every page and sort of the filters.
	// From a CTR cube when one holds the filters: the live orders of its cells (its month cells too).
	const cube = await cubeFor(engine, { ...req, groupBy: undefined }, scope, ctx);
	let count: Promise<{ total_count: number }[]>;
	if (cube) {
		const { and, params } = cubeWhere({ ...req, groupBy: undefined }, scope, ctx, 'current');
		const src = cubeSource(cube, req, and, 'current');
		const cubeCount = `SELECT coalesce(sum(live_orders), 0)::BIGINT AS total_count FROM ${src.sql}`;
		count = sharedAll(engine, cubeCount, usedParams(cubeCount, { ...params, ...src.params }));
	} else if (scope.sellerId !== null) {
		// In a seller's scope the live orders are the CTR total's live_orders: the statement that
		// periodGroups runs for the seller page's KPIs and tables (sellerSetGroups), so the page
		// scans ctr_units for them once, not twice; the seller's rows are few, their sums cheap.
		count = sellerSetGroups(engine, b, 'total').then((r) => [{ total_count: r[0]?.live_orders ?? 0 }]);
	} else {
		const countSql = `${b.sql}\nSELECT count(*) AS total_count FROM base`;
		count = sharedAll(engine, countSql, usedParams(countSql, b.params));
	}
	const [rows, counted] = await Promise.all([engine.all<ResultRow>(sql, usedParams(sql, { ...b.params, limit: req.limit ?? 50, offset: req.offset ?? 0 })), count]);
	const totalRows = counted[0]?.total_count ?? 0;
	if (ctx.preagg) {
		// Same figures as windowLift on the day arrays: the residual sums are exact from Σn², Σx², Σxn.
		for (const r of rows) {
			const n = (k: string) => Number(r[k]);
			const win = (p: 'b' | 'r', x: 'clicks' | 'atc', c: 'c' | 'a', days: number) =>
				ratioWindowFromSums({ n: n(`${p}_impr`), x: n(`${p}_${x}`), nn: n(`w_${p}_nn`), xx: n(`w_${p}_${c}${c}`), xn: n(`w_${p}_${c}n`) }, days);
			const c = liftFromWindows(win('b', 'clicks', 'c', 7), win('r', 'clicks', 'c', 30));
			const a = liftFromWindows(win('b', 'atc', 'a', 7), win('r', 'atc', 'a', 30));
			for (const k of SUM_COLUMNS) delete r[k];
			Object.assign(r, { ctr_lower95: c.lower95, ctr_p_value: c.pValue, atc_lower95: a.lower95 });
		}
		// meta names the logical definitions (as for the other pre_* templates), so both paths report the same.
		return ctrOrdersResult(rows, totalRows, ['order_dims.sql', 'ctr_windows.sql', 'ctr_days.sql']);
	}
	const days = await orderDays(
		engine,
		rows.map((r) => String(r.order_id)),
		-7,
		29
	);
	for (const r of rows) {
		const d = days.get(String(r.order_id)) ?? [];
		const base = d.filter((x) => x.k < 0);
		const res = d.filter((x) => x.k >= 0);
		const c = windowLift(base, res, 'ctr');
		const a = windowLift(base, res, 'atc');
		Object.assign(r, { ctr_lower95: c.lower95, ctr_p_value: c.pValue, atc_lower95: a.lower95 });
	}
	return ctrOrdersResult(rows, totalRows, ['order_dims.sql', 'ctr_windows.sql', 'ctr_days.sql']);
}

const SUM_COLUMNS = ['w_b_nn', 'w_b_cc', 'w_b_cn', 'w_b_aa', 'w_b_an', 'w_r_nn', 'w_r_cc', 'w_r_cn', 'w_r_aa', 'w_r_an'];

function ctrOrdersResult(rows: ResultRow[], totalRows: number, sqlFiles: string[]): MetricResult {
	const columns: ResultColumn[] = Object.keys(rows[0] ?? { order_id: 0 }).map((n) => ({ name: n, type: 'number', label: n }));
	return { columns, rows, meta: { sqlFiles, totalRows } };
}

/** Whether ctr_did_cells holds the load the pre-aggregates hold (preagg/ctr-units.ts refreshCtrDidCells). */
// A yes holds until the data version moves (every load and pre-aggregate refresh bumps it; a
// write around them must bump it too), so a DiD request skips this round trip when nothing changed.
const didCellsSeen = new WeakMap<QueryEngine, number>();
async function didCellsCurrent(engine: QueryEngine): Promise<boolean> {
	const version = currentDataVersion();
	if (didCellsSeen.get(engine) === version) return true;
	const ok = await didCellsQuery(engine);
	if (ok) didCellsSeen.set(engine, version);
	return ok;
}

async function didCellsQuery(engine: QueryEngine): Promise<boolean> {
	const r = await engine.all<{ ok: boolean | null }>(
		`SELECT (SELECT value FROM preagg_state WHERE key = 'ctr_did_load') = (SELECT value FROM preagg_state WHERE key = 'applied_load') AS ok`,
		{}
	);
	return r[0]?.ok === true;
}

async function ctrDid(engine: QueryEngine, req: MetricRequest, scope: Scope, ctx: CompileContext): Promise<MetricResult> {
	const b = ctrBase(req, scope, ctx);
	const dim = req.groupBy;
	if (dim && !CTR_DEF.dimensions.includes(dim)) throw new MetricRequestError(`ctr cannot be grouped by ${dim}`);
	const key = dim ? dimensionExpr(dim, b.timeCol as never) : 'NULL';
	// Both sides as group moments in SQL (treated: the measurable orders; control: SKU per cohort).
	// The control per cohort from the pre-aggregated cells when they hold the newest load (same
	// moments: test/integration/metrics/ctr-did-cells.test.ts); else searched here. In a seller's
	// scope the control is the seller's own SKUs: searched (few).
	const cells = ctx.preagg && scope.sellerId === null && (await didCellsCurrent(engine));
	const cube = cells ? await cubeFor(engine, req, scope, ctx) : null;
	let treatedCte = `${b.sql}, treated AS (SELECT ${key} AS key, category, live_day FROM base WHERE measurable)`;
	let cParams = b.params;
	if (cube === 'ctr_cube') {
		// the cohorts = the cube's cells with a measurable order (qual orders, window closed)
		const w = cubeWhere(req, scope, ctx, 'current');
		treatedCte = `WITH treated AS (SELECT DISTINCT ${w.key} AS key, category, live_day FROM ctr_cube WHERE n > 0 AND window_closed_on < CAST($today AS DATE) ${w.and})`;
		cParams = w.params;
	}
	const cSql = cells ? `${treatedCte}\n${sqlFile('ctr_did_cells.sql')}` : `${treatedCte}\n${sqlFile('ctr_did_control.sql')}\n${momentsSql('ctrl_units', 'key', 'NULL')}`;
	const tSql = `${b.sql}\n${momentsSql('base', key, 'NULL')}`;
	const [tGroups, cRows] = await Promise.all([
		cube ? cubeGroups(engine, cube, req, scope, ctx, 'current') : engine.all<MomentRow>(tSql, usedParams(tSql, b.params)).then((r) => r.map(groupMoments)),
		engine.all<MomentRow>(cSql, usedParams(cSql, cParams))
	]);
	const control = new Map(cRows.map((r) => [JSON.stringify(r.key), groupMoments(r)]));
	// Groups with a treated (measurable) order, in the order of their first one.
	const treated = tGroups
		.filter((g) => g.ctr.n > 0)
		.sort((x, y) => (x.firstOrderId < y.firstOrderId ? -1 : x.firstOrderId > y.firstOrderId ? 1 : 0));
	const none = { ctr: emptyMoments(), atc: emptyMoments() };
	const rows: ResultRow[] = treated.map((t) => {
		const c = control.get(JSON.stringify(t.key)) ?? none;
		const ctr = didLiftFromMoments(t.ctr, c.ctr);
		const atc = didLiftFromMoments(t.atc, c.atc);
		return {
			...(dim ? { [dim]: t.key } : {}),
			treated_orders: ctr.nTreated,
			control_units: ctr.nControl,
			treated_lift: ctr.treatedLift,
			control_lift: ctr.controlLift,
			did_lift: ctr.lift,
			did_lower95: ctr.lower95,
			did_upper95: ctr.upper95,
			atc_did_lift: atc.lift
		};
	});
	const cols = ['treated_orders', 'control_units', 'treated_lift', 'control_lift', 'did_lift', 'did_lower95', 'did_upper95', 'atc_did_lift'];
	return {
		columns: [...(dim ? [{ name: dim, type: 'text' as const, label: dim }] : []), ...cols.map((n) => ({ name: n, type: 'ratio' as const, label: n.replaceAll('_', ' ') }))],
		rows: sortPage(rows, req, [...(dim ? [dim] : []), ...cols], dim ?? 'did_lift'),
		meta: {
			sqlFiles: ['order_dims.sql', 'ctr_windows.sql', 'ctr_did_control.sql', 'ctr_moments.sql'],
			notes: [
				'Difference-in-differences: (treated result/baseline CTR) ÷ (control result/baseline CTR) − 1. Control = SKUs of the same category (SKUs known from orders) with no order live within ±45 days of the treated order’s live day, over the same calendar windows; unit = control SKU per cohort. In a seller’s view the control is that seller’s own SKUs.'
			]
		}
	};
}

export function runCtr(engine: QueryEngine, req: MetricRequest, scope: Scope, ctx: CompileContext): Promise<MetricResult> {
	if (req.metric === 'ctr_orders') return ctrOrders(engine, req, scope, ctx);
	if (req.metric === 'ctr_did') return ctrDid(engine, req, scope, ctx);
	return ctrGroups(engine, req, scope, ctx);
}
