/** Shapes the server hands to the dashboard components (plain JSON, serialisable by load functions). */
import type { Direction, ValueKind } from '../format.ts';

export interface TableColumn {
	name: string;
	kind: ValueKind;
	/** Label already translated on the server; the component falls back to t(`col.${name}`). */
	label?: string;
}

export interface TableData {
	/** Registry key: also the URL namespace of its sort and page (`rework_month.sort`). */
	id: string;
	columns: TableColumn[];
	rows: unknown[][];
	totalRows: number;
	page: number;
	pageSize: number;
	sort: string | null;
	dir: 'asc' | 'desc';
	/** Totals row aligned with columns (null cells stay empty). */
	totals?: unknown[] | null;
	/** With ?compare=1: the previous period's rows aligned with `rows` (same key; months by position). */
	previous?: (unknown[] | null)[] | null;
	previousRange?: { from: string; to: string } | null;
	/** Query string (no '?') that /export/{id} needs to re-run exactly this request, all rows. */
	exportQuery: string;
	error?: string | null;
	/** The table holds only its first `totalRows` rows of more (locally paged past MAX_LOCAL_ROWS): the download has them all. */
	truncated?: boolean;
}

export interface Kpi {
	key: string;
	value: number | null;
	kind: ValueKind;
	previous?: number | null;
	/** Relative change against the previous period (0.05 = +5%); for rates, the change in points. */
	delta?: number | null;
	deltaIsPoints?: boolean;
	direction: Direction;
	benchmark?: number | null;
	/** Second reference (industry average), shown smaller. */
	industry?: number | null;
	href?: string;
	note?: string | null;
}
