/**
 * Request → SQL. Every value travels as a named parameter; every name that reaches the SQL text
 * (dimension, sort field, time column, measure) is looked up in a whitelist first. The seller
 * scope is added here, to every query, whatever the request says.
 */
import { addDays, daysBetween, dayStart, dayEnd } from '../../calendar.ts';
import { defFor, measuresOf, MetricRequestError, QUANTILE_FN, type ColumnType, type MetricDef } from './defs.ts';
import type { Dimension, Filters, MetricRequest, Scope, TimeColumn } from './request.ts';
import { DIMENSIONS } from './request.ts';
import { sqlFile, templateFile } from './sql.ts';
import { hasHoursTable, hasRowsTable, rollupKeys, rollupTable, withRollup, type RollupLevel } from '../preagg/rollups.ts';
import { breachTable, hasBreachTable } from '../preagg/sla-breaches.ts';
import { binnedQuantilesCtes, qbinsDisabled, qbinsTable } from '../preagg/rollup-quantiles.ts';

export interface CompiledQuery {
	sql: string;
	params: Record<string, unknown>;
	sqlFiles: string[];
}

export interface CompileContext {
	/** The instant open/at-risk/auto-accept rules are applied at. */
	now: Date;
	/** Shanghai day of "today" (closed CTR windows are before it). */
	today: string;
	/** approx_quantile instead of quantile_cont (labelled approx on the result). */
	approx?: boolean;
	/** The pre-aggregates (order_facts, order_windows) are current: read them (pre_*.sql templates). */
	preagg?: boolean;
	/**
	 * The monthly rollups are current (preagg/rollups.ts) and were built with this watermark:
	 * eligible requests read them while $now ≥ watermark. Absent: never.
	 */
	rollups?: { watermark: Date; unsettledFrom?: Record<string, string | null> } | null;
}

export type Period = 'current' | 'previous';

/** The period of equal length that ends the day before `from`. */
export function previousPeriod(from: string, to: string): { from: string; to: string } {
	const days = daysBetween(from, to) + 1;
	const prevTo = addDays(from, -1);
	return { from: addDays(prevTo, -(days - 1)), to: prevTo };
}

const DIM_COLUMN: Record<Exclude<Dimension, 'day' | 'week' | 'month'>, string> = {
	category: 'category',
	provider: 'provider_id',
	region: 'region',
	seller: 'seller_id',
	image_type: 'image_type',
	form_filled: 'form_filled',
	first_order: 'first_order',
	reason: 'reason_code',
	ruling: 'ruling'
};

export const DIM_TYPE: Record<Dimension, ColumnType> = {
	category: 'text',
	provider: 'text',
	region: 'text',
	seller: 'text',
	image_type: 'text',
	form_filled: 'boolean',
	first_order: 'boolean',
	reason: 'text',
	ruling: 'text',
	day: 'date',
	week: 'date',
	month: 'text'
};

const DATE_TIME_COLUMNS: ReadonlySet<TimeColumn> = new Set(['window_closed_on']);

function q(name: string): string {
	if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new MetricRequestError(`not a column name: ${name}`);
	return `"${name}"`;
}

export function timeColumnOf(def: MetricDef, req: Pick<MetricRequest, 'range'>): TimeColumn {
	const col = req.range?.column ?? def.timeColumns[0];
	if (!def.timeColumns.includes(col)) throw new MetricRequestError(`${def.name} cannot be dated by ${col} (one of: ${def.timeColumns.join(', ')})`);
	return col;
}

/**
 * Shanghai wall-clock time of a TIMESTAMPTZ as a plain TIMESTAMP, without ICU: Asia/Shanghai is
 * UTC+8 all year (no daylight saving since 1991), and ICU's per-row conversion (::DATE, strftime
 * on TIMESTAMPTZ) costs ~1.5 µs a row — most of a month-grouped query over a year of rows.
 * DATE columns (window_closed_on) pass through.
 */
export function shanghaiLocal(t: string, timeCol?: TimeColumn): string {
	return timeCol && DATE_TIME_COLUMNS.has(timeCol) ? t : `make_timestamp(epoch_us(${t}) + 28800000000)`;
}

/** The SQL expression of a dimension (time dimensions are Asia/Shanghai days, weeks, months). */
export function dimensionExpr(dim: Dimension, timeCol: TimeColumn): string {
	if (!(DIMENSIONS as readonly string[]).includes(dim)) throw new MetricRequestError(`unknown dimension: ${dim}`);
	const t = shanghaiLocal(q(timeCol), timeCol);
	if (dim === 'day') return `${t}::DATE`;
	if (dim === 'week') return `date_trunc('week', ${t})::DATE`;
	if (dim === 'month') return `strftime(${t}, '%Y-%m')`;
	return q(DIM_COLUMN[dim]);
}

const FILTER_DIM: Record<Exclude<keyof Filters, 'slaState'>, Dimension> = {
	category: 'category',
	provider: 'provider',
	region: 'region',
	seller: 'seller',
	imageType: 'image_type',
	formFilled: 'form_filled',
	firstOrder: 'first_order',
	reason: 'reason',
	ruling: 'ruling'
};

export interface Where {
	clauses: string[];
	params: Record<string, unknown>;
}

/** WHERE clauses of the request's filters and the scope, over the base's columns. */
export function filterWhere(def: MetricDef, filters: Filters | undefined, scope: Scope, opts: { allowSlaState?: boolean } = {}): Where {
	const clauses: string[] = [];
	const params: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(filters ?? {}) as [keyof Filters, unknown][]) {
		if (value === undefined) continue;
		if (key === 'slaState') {
			if (!opts.allowSlaState) throw new MetricRequestError(`filter slaState applies to sla_items only`);
			const states = new Set(value as string[]);
			if (states.has('open')) states.add('at_risk');
			clauses.push(`list_contains(from_json($f_sla_state, '["VARCHAR"]'), state)`);
			params.f_sla_state = JSON.stringify([...states]);
			continue;
		}
		const dim = FILTER_DIM[key];
		if (!dim) throw new MetricRequestError(`unknown filter: ${String(key)}`);
		if (!def.dimensions.includes(dim)) throw new MetricRequestError(`${def.name} cannot be filtered by ${dim}`);
		const col = q(DIM_COLUMN[dim as keyof typeof DIM_COLUMN]);
		const p = `f_${DIM_COLUMN[dim as keyof typeof DIM_COLUMN]}`;
		if (typeof value === 'boolean') {
			clauses.push(`${col} = $${p}`);
			params[p] = value;
		} else {
			const list = value as string[];
			if (list.length === 0) continue;
			clauses.push(`list_contains(from_json($${p}, '["VARCHAR"]'), ${col})`);
			params[p] = JSON.stringify(list);
		}
	}
	if (scope.sellerId !== null) {
		clauses.push('seller_id = $scope_seller');
		params.scope_seller = scope.sellerId;
	}
	return { clauses, params };
}

const nextMonth = (m: string) => addDays(`${m}-28`, 4).slice(0, 7);
const prevMonth = (m: string) => addDays(`${m}-01`, -1).slice(0, 7);

/** WHERE clause of the time range (inclusive Shanghai days) for the period asked. */
export function rangeWhere(timeCol: TimeColumn, range: MetricRequest['range'], period: Period, def?: MetricDef): Where {
	if (!range) return { clauses: [], params: {} };
	const { from, to } = period === 'current' ? range : previousPeriod(range.from, range.to);
	const pre = period === 'current' ? 'r' : 'p';
	const t = q(timeCol);
	if (def?.startsAfterMonth && timeCol === 'start_at') {
		// start_at = 1st of month+1 in [from, to] ⇒ month in [month(from) − 1, month(to) − 1] (a superset; the
		// exact clauses below still apply)
		return {
			clauses: [`"month" BETWEEN $${pre}_sm_from AND $${pre}_sm_to`, `${t} >= CAST($${pre}_from_ts AS TIMESTAMPTZ)`, `${t} < CAST($${pre}_to_ts AS TIMESTAMPTZ)`],
			params: {
				[`${pre}_sm_from`]: prevMonth(from.slice(0, 7)),
				[`${pre}_sm_to`]: prevMonth(to.slice(0, 7)),
				[`${pre}_from_ts`]: dayStart(from).toISOString(),
				[`${pre}_to_ts`]: dayEnd(to).toISOString()
			}
		};
	}
	if (DATE_TIME_COLUMNS.has(timeCol)) {
		return {
			clauses: [`${t} BETWEEN CAST($${pre}_from_day AS DATE) AND CAST($${pre}_to_day AS DATE)`],
			params: { [`${pre}_from_day`]: from, [`${pre}_to_day`]: to }
		};
	}
	return {
		clauses: [`${t} >= CAST($${pre}_from_ts AS TIMESTAMPTZ)`, `${t} < CAST($${pre}_to_ts AS TIMESTAMPTZ)`],
		params: { [`${pre}_from_ts`]: dayStart(from).toISOString(), [`${pre}_to_ts`]: dayEnd(to).toISOString() }
	};
}

/**
 * `WITH od AS (…), base AS (…)` for a definition, scope pushed into the order dimensions too. With
 * `rows` (the rollups are current and the set stores its base rows: preagg/rollups.ts hasRowsTable)
 * base is those stored rows (the callers' WHERE still applies the scope).
 */
export function baseCte(def: MetricDef, scope: Scope, preagg?: boolean, rows?: boolean): { sql: string; files: string[] } {
	const d = withRollup(def);
	if (rows && preagg && hasRowsTable(d)) return { sql: `WITH base AS (\nSELECT * EXCLUDE (_m) FROM ${rollupTable(d, 'rows')}\n)`, files: ['order_dims.sql', def.sqlFile] };
	let base = templateFile(def.sqlFile, preagg);
	const files = ['order_dims.sql', def.sqlFile];
	if (def.slaWrapped) {
		base = sqlFile('sla_state.sql').replace('{{items}}', () => base);
		files.push('sla_state.sql');
	}
	return { sql: withBase(scope, base, preagg), files };
}

/** `WITH od AS (order dimensions, scoped), base AS (template)`. */
export function withBase(scope: Scope, template: string, preagg?: boolean): string {
	let od = templateFile('order_dims.sql', preagg);
	if (scope.sellerId !== null) od = `SELECT * FROM (${od}) WHERE seller_id = $scope_seller`;
	return `WITH od AS (\n${od}\n),\nbase AS (\n${template}\n)`;
}

/** Only the parameters the SQL text names (DuckDB rejects unknown ones). */
export function usedParams(sql: string, params: Record<string, unknown>): Record<string, unknown> {
	const names = new Set([...sql.matchAll(/\$([a-z_][a-z0-9_]*)/g)].map((m) => m[1]));
	const out: Record<string, unknown> = {};
	for (const n of names) {
		if (!(n in params)) throw new Error(`metrics SQL names $${n} but no value was given`);
		out[n] = params[n];
	}
	return out;
}

export function contextParams(ctx: CompileContext): Record<string, unknown> {
	return { now: ctx.now.toISOString(), today: ctx.today };
}

const NAME_OF: Partial<Record<Dimension, string>> = { seller: 'seller_name', provider: 'provider_name' };

export interface GroupedOptions {
	period: Period;
	/** false: one total row */
	grouped: boolean;
}

/** The aggregate query of a grouped metric set. */
export function compileGrouped(req: MetricRequest, scope: Scope, ctx: CompileContext, opts: GroupedOptions): CompiledQuery {
	const def = defFor(req);
	const timeCol = timeColumnOf(def, req);
	const fromRollup = compileFromRollup(withRollup(def), req, scope, ctx, opts);
	if (fromRollup) return fromRollup;
	// (otherwise the raw rows, as below)
	const w = filterWhere(def, req.filters, scope);
	const r = rangeWhere(timeCol, req.range, opts.period, def);
	const where = [...w.clauses, ...r.clauses];
	const cte = baseCte(def, scope, ctx.preagg, !!ctx.rollups);
	const qfn = ctx.approx ? QUANTILE_FN.approx : QUANTILE_FN.exact;
	const wanted = measuresOf(def, req);
	const measures = wanted.map((m) => `${m.expr.replaceAll('{q}', qfn)} AS ${q(m.name)}`);
	const select: string[] = [];
	let groupBy = '';
	let orderBy = '';
	let limit = '';
	const params: Record<string, unknown> = { ...w.params, ...r.params, ...contextParams(ctx) };
	const grouped = opts.grouped && req.groupBy;
	if (grouped) {
		const dim = req.groupBy!;
		if (!def.dimensions.includes(dim)) throw new MetricRequestError(`${def.name} cannot be grouped by ${dim} (one of: ${def.dimensions.join(', ')})`);
		select.push(`${dimensionExpr(dim, timeCol)} AS ${q(dim)}`);
		if (NAME_OF[dim]) select.push(`any_value(${NAME_OF[dim]}) AS "name"`);
		groupBy = 'GROUP BY 1';
		const sortable = [dim, ...(NAME_OF[dim] ? ['name'] : []), ...wanted.map((m) => m.name)];
		const sort = req.sort ?? { field: dim, dir: 'asc' as const };
		if (!sortable.includes(sort.field)) throw new MetricRequestError(`cannot sort ${def.name} by ${sort.field} (one of: ${sortable.join(', ')})`);
		orderBy = `ORDER BY ${q(sort.field)} ${sort.dir === 'desc' ? 'DESC' : 'ASC'} NULLS LAST, 1 ASC NULLS LAST`;
		limit = 'LIMIT $limit OFFSET $offset';
		params.limit = req.limit ?? 1000;
		params.offset = req.offset ?? 0;
		measures.push(`${TOTAL_ROWS_EXPR} AS "${TOTAL_ROWS_COL}"`);
	}
	const sql = [
		cte.sql,
		`, cur AS (SELECT * FROM base${where.length ? ` WHERE ${where.join(' AND ')}` : ''})`,
		`SELECT ${[...select, ...measures].join(', ')} FROM cur ${groupBy} ${orderBy} ${limit}`
	].join('\n');
	return { sql, params: usedParams(sql, params), sqlFiles: cte.files };
}

// ---- monthly rollups (preagg/rollups.ts) ---------------------------------------------------------

/** Dimensions a rollup can group by → its column. */
const ROLLUP_DIM: Partial<Record<Dimension, string>> = {
	category: 'category',
	provider: 'provider_id',
	region: 'region',
	image_type: 'image_type',
	form_filled: 'form_filled',
	first_order: 'first_order',
	month: 'month'
};
const ROLLUP_FILTERS: ReadonlySet<string> = new Set(['category', 'provider', 'region', 'imageType', 'formFilled', 'firstOrder']);
/** Dimensions a rollup can group and filter by when it has their column among its extra keys. */
const KEY_DIM: Partial<Record<Dimension, string>> = { reason: 'reason_code', ruling: 'ruling' };
const KEY_FILTER: Record<string, Dimension> = { reason: 'reason', ruling: 'ruling' };

/** The rollup column of a dimension, or undefined when this set's rollup does not have it. */
function rollupDim(def: MetricDef, dim: Dimension): string | undefined {
	const key = KEY_DIM[dim];
	return ROLLUP_DIM[dim] ?? (key && def.rollup?.keys?.includes(key) ? key : undefined);
}
const rollupFilter = (def: MetricDef, f: string) => ROLLUP_FILTERS.has(f) || (f in KEY_FILTER && rollupDim(def, KEY_FILTER[f]) !== undefined);


/** The whole calendar months inside [from, to] (inclusive days), or null when there is none. */
export function wholeMonths(from: string, to: string): { from: string; to: string } | null {
	const mFrom = from.endsWith('-01') ? from.slice(0, 7) : nextMonth(from.slice(0, 7));
	const mTo = addDays(to, 1).endsWith('-01') ? to.slice(0, 7) : prevMonth(to.slice(0, 7));
	return mFrom <= mTo ? { from: mFrom, to: mTo } : null;
}

/**
 * Which rollup can answer a request with the same numbers as the raw rows: the coarse one (no
 * provider key) unless the request filters or groups by provider; then the provider one (keyed
 * by provider alone) when nothing else is filtered or grouped, else the fine one; null when none
 * can (another time column, seller scope or dimension, no whole month, …).
 */
export function rollupFor(def: MetricDef, req: MetricRequest, scope: Scope, ctx: CompileContext, period: Period, grouped: boolean): RollupLevel | null {
	if (!ctx.preagg || !ctx.rollups || !def.rollup || !req.range || scope.sellerId !== null) return null;
	if (timeColumnOf(def, req) !== def.timeColumns[0]) return null;
	if (def.rollup.settled && ctx.now.getTime() < ctx.rollups.watermark.getTime()) return null;
	for (const [k, v] of Object.entries(req.filters ?? {})) if (v !== undefined && !rollupFilter(def, k)) return null;
	// (a dimension the set does not have: the raw path answers with its error)
	if (req.groupBy && (!rollupDim(def, req.groupBy) || !def.dimensions.includes(req.groupBy))) return null;
	const r = period === 'current' ? req.range : previousPeriod(req.range.from, req.range.to);
	if (wholeMonths(r.from, r.to) === null) return null;
	const byProvider = (grouped && req.groupBy === 'provider') || (req.filters?.provider?.length ?? 0) > 0;
	if (!byProvider) return 'coarse';
	const others = Object.entries(req.filters ?? {}).some(([k, v]) => k !== 'provider' && v !== undefined && (!Array.isArray(v) || v.length > 0));
	const groupOther = grouped && req.groupBy !== 'provider';
	return others || groupOther ? 'fine' : 'provider';
}

/**
 * The grouped query over the rollup: its rows for the whole months of the range UNION ALL the base
 * rows (components as per-row values) of the edge days and of items not settled at the watermark,
 * one GROUP BY over both; measures the rollup does not hold (quantiles) from the narrow hours
 * table (rollup_<set>_hours) plus the edge rows' hours — or from the base rows when there is none —
 * joined on the group. Null when the request is not eligible.
 */
function compileFromRollup(def: MetricDef, req: MetricRequest, scope: Scope, ctx: CompileContext, opts: GroupedOptions): CompiledQuery | null {
	const level = rollupFor(def, req, scope, ctx, opts.period, opts.grouped);
	if (!level) return null;
	const ru = def.rollup!;
	const wanted = measuresOf(def, req);
	const timeCol = def.timeColumns[0];
	const range = opts.period === 'current' ? req.range! : previousPeriod(req.range!.from, req.range!.to);
	const whole = wholeMonths(range.from, range.to)!;
	const pre = opts.period === 'current' ? 'r' : 'p';
	const w = filterWhere(def, req.filters, scope);
	const r = rangeWhere(timeCol, req.range, opts.period, def);
	const t = q(timeCol);
	const cte = baseCte(def, scope, true, true);
	const qfn = ctx.approx ? QUANTILE_FN.approx : QUANTILE_FN.exact;
	const params: Record<string, unknown> = {
		...w.params,
		...r.params,
		...contextParams(ctx),
		[`${pre}_m_from`]: whole.from,
		[`${pre}_m_to`]: whole.to,
		[`${pre}_w_from_ts`]: dayStart(`${whole.from}-01`).toISOString(),
		[`${pre}_w_to_ts`]: dayStart(`${nextMonth(whole.to)}-01`).toISOString(),
		wm: ctx.rollups!.watermark.toISOString()
	};
	const keys = ['month', ...rollupKeys(def, level)].map(q);
	const comps = Object.keys(ru.components);
	const inWhole = `${t} >= CAST($${pre}_w_from_ts AS TIMESTAMPTZ) AND ${t} < CAST($${pre}_w_to_ts AS TIMESTAMPTZ)`;
	const inRollup = ru.settled ? `${inWhole} AND coalesce(${ru.settled}, false)` : inWhole;
	const rollupRows = `SELECT ${[...keys, ...comps.map(q)].join(', ')} FROM ${rollupTable(def, level)} WHERE ${[`"month" BETWEEN $${pre}_m_from AND $${pre}_m_to`, ...w.clauses].join(' AND ')}`;
	const grouped = opts.grouped && req.groupBy ? req.groupBy : null;
	const holistic = wanted.filter((m) => !(m.name in ru.measures));
	// Exact quantiles of whole months from the narrow hours table (settled items' durations) plus
	// the edge rows' hours; approx_quantile (order-dependent sketch) keeps reading the base rows.
	const hoursTable = holistic.length > 0 && !ctx.approx && hasHoursTable(def) && holistic.every((m) => /^\{q\}\(hours, [0-9.]+\)$/.test(m.expr));
	const edgeCols = [`${dimensionExpr('month', timeCol)} AS "month"`, ...keys.slice(1), ...comps.map((c) => `${ru.components[c]} AS ${q(c)}`), ...(hoursTable ? ['hours'] : [])];
	const edgeWhere = [...w.clauses, ...r.clauses, `NOT (${inRollup})`];
	const uf = ru.settled ? ctx.rollups!.unsettledFrom?.[def.name] : undefined;
	if (uf !== undefined) {
		// base rows of whole months only from the first item unsettled at the watermark (or the
		// watermark: later items are never in the rollup); with no leading edge days the rows start
		// there (or at the trailing edge): one range the table scan can use
		const leading = dayStart(range.from).getTime() < dayStart(`${whole.from}-01`).getTime();
		const trailStart = dayStart(`${nextMonth(whole.to)}-01`).getTime();
		if (!leading) {
			params[`${pre}_edge_from_ts`] = new Date(Math.min(uf === null ? Infinity : new Date(uf).getTime(), ctx.rollups!.watermark.getTime(), trailStart)).toISOString();
			edgeWhere.push(`${t} >= CAST($${pre}_edge_from_ts AS TIMESTAMPTZ)`);
		}
	}
	// No edge days and nothing unsettled (a set without today-dependent states): the range is exactly
	// the whole months, so the base rows add nothing — not even a scan of the time column.
	const lead = dayStart(range.from).getTime() < dayStart(`${whole.from}-01`).getTime();
	const trail = addDays(range.to, 1) !== `${nextMonth(whole.to)}-01`;
	const noEdge = !ru.settled && !lead && !trail;
	const edgeRows = noEdge ? null : `SELECT ${edgeCols.join(', ')} FROM base WHERE ${edgeWhere.join(' AND ')}`;
	const aggSel: string[] = [];
	const holSel: string[] = [];
	if (grouped) {
		aggSel.push(`${q(rollupDim(def, grouped)!)} AS ${q(grouped)}`);
		if (NAME_OF[grouped]) aggSel.push(`any_value(provider_name) AS "name"`);
		holSel.push(hoursTable ? `${q(rollupDim(def, grouped)!)} AS ${q(grouped)}` : `${dimensionExpr(grouped, timeCol)} AS ${q(grouped)}`);
	}
	aggSel.push(...wanted.filter((m) => m.name in ru.measures).map((m) => `${ru.measures[m.name]} AS ${q(m.name)}`));
	// from the hours table: one quantile_cont over a list of fractions (one state, one selection
	// pass, the same interpolated values) instead of one aggregate per quantile
	const QPAT = /^\{q\}\(hours, ([0-9.]+)\)$/;
	if (hoursTable) holSel.push(`${qfn}(hours, [${holistic.map((m) => m.expr.match(QPAT)![1]).join(', ')}]) AS "_q"`);
	else holSel.push(...holistic.map((m) => `${m.expr.replaceAll('{q}', qfn)} AS ${q(m.name)}`));
	const by = grouped ? ' GROUP BY 1' : '';
	const ctes: string[] = [];
	// the binned durations (rollup-quantiles.ts) when nothing but the provider is filtered and the
	// groups are their keys: the month bins for the total or by month, the provider bins by provider
	const binLevel = !hoursTable || qbinsDisabled() ? null : level === 'provider' ? 'provider' : level === 'coarse' && w.clauses.length === 0 && (!grouped || grouped === 'month') ? 'coarse' : null;
	if (hoursTable) {
		// the edge rows feed both the sums and the quantiles: computed once
		if (edgeRows) ctes.push(`, edge AS MATERIALIZED (\n${edgeRows}\n)`);
		ctes.push(`, rr AS (\n${rollupRows}${edgeRows ? `\nUNION ALL BY NAME\nSELECT ${[...keys, ...comps.map(q)].join(', ')} FROM edge` : ''}\n)`);
		if (!binLevel) {
			const g = grouped ? `${q(rollupDim(def, grouped)!)}, ` : '';
			const hoursRows = `SELECT ${g}(hours_us / 1e6) / 3600.0 AS hours FROM ${rollupTable(def, 'hours')} WHERE ${[`"month" BETWEEN $${pre}_m_from AND $${pre}_m_to`, ...w.clauses].join(' AND ')}`;
			ctes.push(`, hr AS (\n${hoursRows}${edgeRows ? `\nUNION ALL\nSELECT ${g}hours FROM edge` : ''}\n)`);
		}
	} else ctes.push(`, rr AS (\n${rollupRows}${edgeRows ? `\nUNION ALL BY NAME\n${edgeRows}` : ''}\n)`);
	ctes.push(`, agg AS (SELECT ${aggSel.join(', ')} FROM rr${by})`);
	// Quantiles for the shown rows only (req.holisticWindow): the groups at those positions of the
	// final ORDER BY below (same sort, same tie-break by the group), when the sort needs no quantile.
	const sort = req.sort ?? { field: grouped ?? '', dir: 'asc' as const };
	// the rows' order: the sort, then the group (unique), so positions are the same wherever it is used
	const order = (sortCol: string, groupCol: string) => `ORDER BY ${sortCol} ${sort.dir === 'desc' ? 'DESC' : 'ASC'} NULLS LAST, ${groupCol} ASC NULLS LAST`;
	const win = req.holisticWindow;
	const windowed = !!(binLevel && grouped && win && opts.period === 'current' && !holistic.some((m) => m.name === sort.field));
	if (windowed) {
		ctes.push(`, shown AS (SELECT agg.${q(grouped!)} AS g FROM agg ${order(`agg.${q(sort.field)}`, `agg.${q(grouped!)}`)} LIMIT $hw_limit OFFSET $hw_offset)`);
		params.hw_limit = win!.limit;
		params.hw_offset = win!.offset;
	}
	if (binLevel)
		ctes.push(
			binnedQuantilesCtes({
				...(windowed ? { groupsIn: 'shown' } : {}),
				table: qbinsTable(def.name, binLevel),
				level: binLevel,
				group: grouped ? q(rollupDim(def, grouped)!) : null,
				groupAs: grouped,
				where: [`"month" BETWEEN $${pre}_m_from AND $${pre}_m_to`, ...w.clauses],
				edge: !!edgeRows,
				fractions: holistic.map((m) => m.expr.match(QPAT)![1])
			})
		);
	else if (holistic.length) ctes.push(`, hol AS (SELECT ${holSel.join(', ')} FROM ${hoursTable ? 'hr' : `base WHERE ${[...w.clauses, ...r.clauses].join(' AND ') || 'true'}`}${by})`);
	const out = [
		...(grouped ? [`agg.${q(grouped)}`, ...(NAME_OF[grouped] ? ['agg."name"'] : [])] : []),
		...wanted.map((m) => (m.name in ru.measures ? `agg.${q(m.name)}` : hoursTable ? `hol."_q"[${holistic.indexOf(m) + 1}] AS ${q(m.name)}` : `hol.${q(m.name)}`))
	];
	// (the binned quantiles have no row for a group without durations, nor for an empty total)
	const from = !holistic.length ? 'agg' : grouped ? `agg LEFT JOIN hol ON agg.${q(grouped)} IS NOT DISTINCT FROM hol.${q(grouped)}` : binLevel ? 'agg LEFT JOIN hol ON true' : 'agg, hol';
	let tail = '';
	if (grouped) {
		const sortable = [grouped, ...(NAME_OF[grouped] ? ['name'] : []), ...wanted.map((m) => m.name)];
		if (!sortable.includes(sort.field)) throw new MetricRequestError(`cannot sort ${def.name} by ${sort.field} (one of: ${sortable.join(', ')})`);
		tail = `${order(q(sort.field), '1')} LIMIT $limit OFFSET $offset`;
		params.limit = req.limit ?? 1000;
		params.offset = req.offset ?? 0;
		out.push(`${TOTAL_ROWS_EXPR} AS "${TOTAL_ROWS_COL}"`);
	}
	// base is read twice when quantiles come from it (edge rows, quantile rows): inline it in each
	// (each with its own filters and columns) rather than materialize every column of the range.
	// (not for a base that aggregates — payments per seller and month — which would run twice)
	const head = holistic.length && !hoursTable && !ru.touched ? cte.sql.replace('\nbase AS (\n', '\nbase AS NOT MATERIALIZED (\n') : cte.sql;
	const sql = [head, ...ctes, `SELECT ${out.join(', ')} FROM ${from} ${tail}`].join('\n');
	return { sql, params: usedParams(sql, params), sqlFiles: cte.files };
}

/**
 * Grouped statements also return the number of groups before LIMIT/OFFSET (a window over the groups,
 * a few ms even for every seller), so a table can page in SQL (registry paging 'metric') and still
 * say how many rows there are; runGrouped moves it from the rows to meta.totalRows.
 */
export const TOTAL_ROWS_COL = '_total_rows';
const TOTAL_ROWS_EXPR = 'count(*) OVER ()';

export const SLA_ITEM_COLUMNS: { name: string; type: ColumnType; label: string }[] = [
	{ name: 'item_id', type: 'text', label: 'Item' },
	{ name: 'order_id', type: 'text', label: 'Order' },
	{ name: 'seller_id', type: 'text', label: 'Seller' },
	{ name: 'seller_name', type: 'text', label: 'Seller name' },
	{ name: 'provider_id', type: 'text', label: 'Provider' },
	{ name: 'provider_name', type: 'text', label: 'Provider name' },
	{ name: 'category', type: 'text', label: 'Category' },
	{ name: 'region', type: 'text', label: 'Region' },
	{ name: 'start_at', type: 'timestamp', label: 'Start' },
	{ name: 'deadline', type: 'timestamp', label: 'Deadline' },
	{ name: 'stop_at', type: 'timestamp', label: 'Stop' },
	{ name: 'hours', type: 'hours', label: 'Hours' },
	{ name: 'allowance_hours', type: 'hours', label: 'Allowance (h)' },
	{ name: 'state', type: 'text', label: 'State' },
	{ name: 'beyond_calendar', type: 'boolean', label: 'Deadline beyond the calendar' },
	{ name: 'missing_year', type: 'integer', label: 'Year missing from the calendar' }
];

/** A page of SLA items (breach list, at-risk list), sortable by any of its columns. */
export function compileSlaItems(req: MetricRequest, scope: Scope, ctx: CompileContext, opts: { orderId?: string } = {}): CompiledQuery {
	const def = defFor(req);
	const timeCol = timeColumnOf(def, req);
	const w = filterWhere(def, req.filters, scope, { allowSlaState: true });
	if (opts.orderId !== undefined) {
		w.clauses.push('order_id = $order_id');
		w.params.order_id = opts.orderId;
	}
	const r = rangeWhere(timeCol, req.range, 'current', def);
	const where = [...w.clauses, ...r.clauses];
	const cte = baseCte(def, scope, ctx.preagg);
	const cols = SLA_ITEM_COLUMNS.map((c) => c.name);
	const sort = req.sort ?? { field: 'start_at', dir: 'desc' as const };
	if (!cols.includes(sort.field)) throw new MetricRequestError(`cannot sort SLA items by ${sort.field} (one of: ${cols.join(', ')})`);
	const params: Record<string, unknown> = { ...w.params, ...r.params, ...contextParams(ctx), limit: req.limit ?? 50, offset: req.offset ?? 0 };
	const split = settledSplit(def, req, ctx, timeCol);
	if (split) {
		// items starting before the first one unsettled at the watermark are settled: their state
		// (met or breached) and row are the same at any $now ≥ W — breaches from the stored table,
		// nothing else of them can be open or at risk; later items from the base rows
		params.settled_to_ts = split.before;
		const t = q(timeCol);
		const parts = [`SELECT ${cols.map(q).join(', ')} FROM base WHERE ${[...where, `${t} >= CAST($settled_to_ts AS TIMESTAMPTZ)`].join(' AND ')}`];
		if (split.breached) parts.unshift(`SELECT ${cols.map(q).join(', ')} FROM ${breachTable(def)} WHERE ${[...where, `${t} < CAST($settled_to_ts AS TIMESTAMPTZ)`].join(' AND ')}`);
		// the count as its own scan of the filter columns: count(*) OVER () would carry every column
		// of every matching item through a window, where the page needs only the top rows' columns.
		// Each part keeps its own first offset + limit rows (the page is among them): a top-N over one
		// table reads the sort columns and fetches the other columns of those rows only.
		const order = `ORDER BY ${q(sort.field)} ${sort.dir === 'desc' ? 'DESC' : 'ASC'} NULLS LAST, "item_id" ASC`;
		params.top_n = (req.limit ?? 50) + (req.offset ?? 0);
		const sql = [
			`${cte.sql}\n, items AS NOT MATERIALIZED (\n${parts.join('\nUNION ALL\n')}\n)`,
			`, top AS (\n${parts.map((x) => `(${x}\n${order} LIMIT $top_n)`).join('\nUNION ALL\n')}\n)`,
			`SELECT ${cols.map(q).join(', ')}, (SELECT count(*) FROM items) AS total_count FROM top`,
			order,
			'LIMIT $limit OFFSET $offset'
		].join('\n');
		return { sql, params: usedParams(sql, params), sqlFiles: cte.files };
	}
	const sql = [
		cte.sql,
		`SELECT ${cols.map(q).join(', ')}, count(*) OVER () AS total_count FROM base`,
		where.length ? `WHERE ${where.join(' AND ')}` : '',
		`ORDER BY ${q(sort.field)} ${sort.dir === 'desc' ? 'DESC' : 'ASC'} NULLS LAST, "item_id" ASC`,
		'LIMIT $limit OFFSET $offset'
	].join('\n');
	return { sql, params: usedParams(sql, params), sqlFiles: cte.files };
}

const UNSETTLED_STATES: ReadonlySet<string> = new Set(['breached', 'open', 'at_risk']);

/**
 * Whether an item list can read settled items from the stored breaches (preagg/sla-breaches.ts):
 * the list asks only for breached / open / at-risk items of a set with settled rollups, which are
 * current at this $now. `before`: the first start not settled at the watermark (or the watermark).
 */
function settledSplit(def: MetricDef, req: MetricRequest, ctx: CompileContext, timeCol: TimeColumn): { before: string; breached: boolean } | null {
	const d = withRollup(def);
	const states = req.filters?.slaState;
	if (!ctx.preagg || !ctx.rollups || !hasBreachTable(d) || !states?.length || !states.every((s) => UNSETTLED_STATES.has(s))) return null;
	if (timeCol !== d.timeColumns[0] || ctx.now.getTime() < ctx.rollups.watermark.getTime()) return null;
	const uf = ctx.rollups.unsettledFrom?.[d.name];
	if (uf === undefined) return null;
	const before = Math.min(uf === null ? Infinity : new Date(uf).getTime(), ctx.rollups.watermark.getTime());
	return { before: new Date(before).toISOString(), breached: states.includes('breached') };
}
