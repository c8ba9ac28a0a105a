/**
 * runMetric: validate, compile, run through the QueryEngine, shape the result. The one entry
 * point of the dashboard pages, the seller portal and the API for aggregate figures.
 */
import { compileGrouped, compileSlaItems, DIM_TYPE, previousPeriod, SLA_ITEM_COLUMNS, TOTAL_ROWS_COL, type CompileContext } from './compile.ts';
import { contextFrom, type RunOptions } from './context.ts';
import { defFor, measuresOf, MetricRequestError, type MetricDef } from './defs.ts';
import type { QueryEngine } from './engine.ts';
import { sharedAll } from './in-flight.ts';
import { REASON_LABELS, RULING_LABELS } from './labels.ts';
import { metricRequestSchema, type MetricRequest, type Scope } from './request.ts';
import { delta, type MetricResult, type ResultColumn, type ResultRow } from './result.ts';
import { runCtr } from './ctr.ts';
import { runOverview } from './overview.ts';
import { preaggState } from '../preagg/index.ts';

export type { RunOptions } from './context.ts';

export async function runMetric(engine: QueryEngine, request: MetricRequest | unknown, scope: Scope, opts: RunOptions = {}): Promise<MetricResult> {
	const req = metricRequestSchema.parse(request);
	const ctx = contextFrom(opts);
	const state = await preaggState(engine);
	ctx.preagg = state.fresh;
	ctx.rollups = state.rollups;
	switch (req.metric) {
		case 'ctr':
		case 'ctr_orders':
		case 'ctr_did':
			return runCtr(engine, req, scope, ctx);
		case 'overview':
			return runOverview(engine, req, scope, ctx);
		case 'sla_items':
			return runSlaItems(engine, req, scope, ctx);
		case 'guidance_sellers':
			// Sellers flagged for requirement-writing guidance: unclear_requirement rulings by seller.
			return runGrouped(engine, { ...req, metric: 'dispute_mix', groupBy: 'seller', filters: { ...req.filters, ruling: ['unclear_requirement'] }, sort: req.sort ?? { field: 'disputes', dir: 'desc' } }, scope, ctx);
		default:
			return runGrouped(engine, req, scope, ctx);
	}
}

async function tableExists(engine: QueryEngine, name: string): Promise<boolean> {
	const r = await engine.all<{ n: number }>(`SELECT count(*) AS n FROM information_schema.tables WHERE table_name = $name`, { name });
	return (r[0]?.n ?? 0) > 0;
}

function columnsOf(def: MetricDef, req: MetricRequest): ResultColumn[] {
	const cols: ResultColumn[] = [];
	if (req.groupBy) {
		cols.push({ name: req.groupBy, type: DIM_TYPE[req.groupBy], label: req.groupBy.replace('_', ' ') });
		if (req.groupBy === 'seller' || req.groupBy === 'provider') cols.push({ name: 'name', type: 'text', label: 'Name' });
		if (req.groupBy === 'reason' || req.groupBy === 'ruling') cols.push({ name: 'label', type: 'text', label: 'Label' });
	}
	for (const m of measuresOf(def, req)) cols.push({ name: m.name, type: m.type, label: m.label, ...(m.benchmark !== undefined ? { benchmark: m.benchmark } : {}) });
	return cols;
}

function labelRows(rows: ResultRow[], req: MetricRequest) {
	if (req.groupBy === 'reason') for (const r of rows) r.label = REASON_LABELS[String(r.reason)] ?? null;
	if (req.groupBy === 'ruling') for (const r of rows) r.label = r.ruling === null ? 'No dispute' : (RULING_LABELS[String(r.ruling)] ?? null);
}

function beyondCalendar(total: ResultRow | undefined) {
	const count = Number(total?.beyond_calendar ?? 0);
	if (!count) return undefined;
	const years = String(total?.missing_years ?? '')
		.split(',')
		.filter(Boolean)
		.map(Number);
	return { count, years };
}

// Each caller gets its own row objects: labelRows and the callers shape them in place.
const allShared = async (engine: QueryEngine, sql: string, params: Record<string, unknown>): Promise<ResultRow[]> =>
	(await sharedAll<ResultRow>(engine, sql, params)).map((r) => ({ ...r }));

export async function runGrouped(engine: QueryEngine, req: MetricRequest, scope: Scope, ctx: CompileContext): Promise<MetricResult> {
	const def = defFor(req);
	if (req.metric === 'sla' && req.sla === 'bill_generation' && !(await tableExists(engine, 'bill_runs'))) {
		return { columns: columnsOf(def, req), rows: [], meta: { sqlFiles: [def.sqlFile], notes: ['No bill_runs table yet: the billing job records its runs there.'] } };
	}
	const compare = Boolean(req.compare && req.range);
	const queries = [compileGrouped(req, scope, ctx, { period: 'current', grouped: false })];
	if (req.groupBy) queries.push(compileGrouped(req, scope, ctx, { period: 'current', grouped: true }));
	if (compare) {
		queries.push(compileGrouped(req, scope, ctx, { period: 'previous', grouped: false }));
		if (req.groupBy) queries.push(compileGrouped(req, scope, ctx, { period: 'previous', grouped: true }));
	}
	const results = await Promise.all(queries.map((c) => allShared(engine, c.sql, c.params)));
	let i = 0;
	const total = results[i++][0];
	const rows = req.groupBy ? results[i++] : [total];
	const totalRows = req.groupBy ? takeTotalRows(rows, req.offset ?? 0) : undefined;
	labelRows(rows, req);
	const out: MetricResult = {
		columns: columnsOf(def, req),
		rows,
		total,
		meta: { sqlFiles: queries[0].sqlFiles, ...(ctx.approx && def.quantiles ? { approx: true } : {}), ...(totalRows !== undefined ? { totalRows } : {}) }
	};
	const bc = beyondCalendar(total);
	if (bc) out.meta.beyondCalendar = bc;
	if (def.note) out.meta.notes = [def.note];
	if (compare) {
		const prevTotal = results[i++][0];
		const prevRows = req.groupBy ? results[i] : [prevTotal];
		if (req.groupBy) takeTotalRows(prevRows, req.offset ?? 0);
		labelRows(prevRows, req);
		out.previous = { ...previousPeriod(req.range!.from, req.range!.to), rows: prevRows, total: prevTotal };
		out.deltas = Object.fromEntries(measuresOf(def, req).filter((m) => m.type !== 'text' && m.type !== 'timestamp').map((m) => [m.name, delta(total?.[m.name], prevTotal?.[m.name])]));
	} else if (req.compare && !req.range) {
		out.meta.notes = [...(out.meta.notes ?? []), 'compare needs a time range'];
	}
	return out;
}

/** The group count the grouped statement carries on every row (compile.ts TOTAL_ROWS_COL), removed from the rows. */
function takeTotalRows(rows: ResultRow[], offset: number): number | undefined {
	const n = rows.length ? Number(rows[0][TOTAL_ROWS_COL]) : offset === 0 ? 0 : undefined;
	for (const r of rows) delete r[TOTAL_ROWS_COL];
	return n;
}

async function runSlaItems(engine: QueryEngine, req: MetricRequest, scope: Scope, ctx: CompileContext): Promise<MetricResult> {
	if (!req.sla) throw new MetricRequestError('sla_items needs an sla');
	if (req.sla === 'bill_generation' && !(await tableExists(engine, 'bill_runs'))) return { columns: SLA_ITEM_COLUMNS, rows: [], meta: { sqlFiles: [], totalRows: 0 } };
	const c = compileSlaItems(req, scope, ctx);
	const rows = await engine.all<ResultRow>(c.sql, c.params);
	const totalRows = rows.length ? Number(rows[0].total_count) : 0;
	for (const r of rows) delete r.total_count;
	return { columns: SLA_ITEM_COLUMNS, rows, meta: { sqlFiles: c.sqlFiles, totalRows } };
}
