import type { ColumnType } from './defs.ts';

export interface ResultColumn {
	name: string;
	type: ColumnType;
	label: string;
	benchmark?: number;
}

export type ResultRow = Record<string, unknown>;

export interface Delta {
	current: number | null;
	previous: number | null;
	/** current − previous */
	change: number | null;
	/** change ÷ |previous|; null when previous is 0 or missing */
	relative: number | null;
}

export interface MetricResult {
	columns: ResultColumn[];
	rows: ResultRow[];
	total?: ResultRow;
	previous?: { from: string; to: string; rows: ResultRow[]; total?: ResultRow };
	/** Per measure of the total: current vs previous period. */
	deltas?: Record<string, Delta>;
	meta: {
		approx?: boolean;
		sqlFiles: string[];
		/** Figures touched by a deadline past the calendar's last year (domain: flagged, never silent). */
		beyondCalendar?: { count: number; years: number[] };
		notes?: string[];
		/** Paged lists: rows matching before limit/offset. */
		totalRows?: number;
	};
}

export function delta(current: unknown, previous: unknown): Delta {
	const c = typeof current === 'number' ? current : null;
	const p = typeof previous === 'number' ? previous : null;
	const change = c !== null && p !== null ? c - p : null;
	return { current: c, previous: p, change, relative: change !== null && p ? change / Math.abs(p) : null };
}
