/**
 * The one place the dashboard calls the metrics layer (src/lib/server/metrics). Keeps the
 * result's shape in one adapter so pages and the export endpoint read the same normalised table.
 */
import { getEngine } from '$lib/server/app';
import { today } from '$lib/server/clock';
import type { MetricRequest, Scope } from '$lib/server/metrics/request';
import type { ValueKind } from '$lib/format';
import { runMetric as runMetricLayer } from '$lib/server/metrics/run';
import type { MetricResult, ResultRow } from '$lib/server/metrics/result';

export type { MetricRequest, Scope };

/** A metric result as the dashboard uses it: rows as arrays aligned with columns. */
export interface NormalResult {
	columns: { name: string; label: string; kind: ValueKind; benchmark?: number | null }[];
	rows: unknown[][];
	/** All rows the request matches before limit/offset. */
	totalRows: number;
	totals: unknown[] | null;
	previous: NormalResult | null;
	meta: Record<string, unknown>;
}

const KIND: Record<string, ValueKind> = {
	integer: 'int',
	int: 'int',
	number: 'number',
	ratio: 'percent',
	percent: 'percent',
	hours: 'hours',
	fen: 'money',
	money: 'money',
	text: 'text',
	date: 'date',
	month: 'month',
	boolean: 'bool',
	bool: 'bool',
	timestamp: 'datetime'
};

export function kindOf(type: unknown, name: string): ValueKind {
	if (typeof type === 'string' && KIND[type]) return KIND[type];
	if (name === 'month') return 'month';
	if (/_fen$|amount|revenue|fee|compensation/.test(name)) return 'money';
	if (/rate$|share|attainment|lift/.test(name)) return 'percent';
	if (/hours$/.test(name)) return 'hours';
	return 'text';
}

export interface Delta {
	current: number | null;
	previous: number | null;
	change: number | null;
	relative: number | null;
}

/** NormalResult plus what a compare request adds. */
export interface FullResult extends NormalResult {
	previousRange: { from: string; to: string } | null;
	deltas: Record<string, Delta> | null;
}

export function normalise(raw: MetricResult): FullResult {
	const columns = raw.columns.map((c) => {
		// A month dimension comes back as 'YYYY-MM' text: shown as a month in the viewer's locale.
		let kind = c.name === 'month' ? 'month' : kindOf(c.type, c.name);
		// Generic 'number' columns (per-order lists) say more by their name and values.
		if (c.type === 'number') {
			const sample = raw.rows.find((r) => r[c.name] != null)?.[c.name];
			if (typeof sample === 'string') kind = /^\d{4}-\d{2}-\d{2}$/.test(sample) ? 'date' : 'text';
			else if (typeof sample === 'boolean') kind = 'bool';
			else if (sample instanceof Date) kind = 'datetime';
			else if (/lift|ctr|lower95|upper95|rate|share/.test(c.name)) kind = 'percent';
			else if (/_fen$|amount|fee/.test(c.name)) kind = 'money';
			else if (/impressions|clicks|add_to_cart|count|orders|days/.test(c.name)) kind = 'int';
		}
		// Counts typed as ratios by a generic column list (DiD: treated_orders, control_units).
		if (kind === 'percent' && /_orders$|_units$|^orders$/.test(c.name)) kind = 'int';
		return { name: c.name, label: c.label ?? c.name, kind: kind as ValueKind, benchmark: c.benchmark ?? null };
	});
	const toArray = (r: ResultRow): unknown[] => columns.map((c) => r[c.name] ?? null);
	const rows = raw.rows.map(toArray);
	const meta = raw.meta as Record<string, unknown> & MetricResult['meta'];
	const previous: NormalResult | null = raw.previous
		? { columns, rows: raw.previous.rows.map(toArray), totalRows: raw.previous.rows.length, totals: raw.previous.total ? toArray(raw.previous.total) : null, previous: null, meta: {} }
		: null;
	return {
		columns,
		rows,
		totalRows: typeof meta.totalRows === 'number' ? meta.totalRows : rows.length,
		totals: raw.total ? toArray(raw.total) : null,
		previous,
		previousRange: raw.previous ? { from: raw.previous.from, to: raw.previous.to } : null,
		deltas: raw.deltas ?? null,
		meta
	};
}

export async function runMetricRaw(req: MetricRequest, scope: Scope): Promise<MetricResult> {
	return runMetricLayer(await getEngine(), req, scope, { today: today() });
}

export async function runMetric(req: MetricRequest, scope: Scope): Promise<FullResult> {
	return normalise(await runMetricRaw(req, scope));
}
