/** The SvelteKit side of the table registry (./registry.ts): HTTP errors, running a table for a page. */
import { error } from '@sveltejs/kit';
import { ZodError } from 'zod';
import type { ValueKind } from '$lib/format';
import { tableState } from '$lib/url-state';
import type { TableData } from '$lib/components/types';
import type { Scope } from '$lib/server/metrics/request';
import { exportQuery, MAX_LOCAL_ROWS, REQUEST_FILTER_KEYS, slaFromUrl, TABLES, tableRequest as pureTableRequest, UnknownTableError, type TableDef } from './registry';

export { exportQuery, REQUEST_FILTER_KEYS, slaFromUrl, TABLES, type TableDef };
import { runMetric, type FullResult, type NormalResult } from './metrics-bridge.server';

/** The table's request for this URL; a bad table is a 404, a malformed filter a 400. */
export function tableRequest(id: string, params: URLSearchParams, opts: { all?: boolean } = {}) {
	try {
		return pureTableRequest(id, params, opts);
	} catch (e) {
		if (e instanceof UnknownTableError) error(404, e.message);
		if (e instanceof ZodError) error(400, `bad filter: ${e.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
		throw e;
	}
}

export interface TableRun {
	table: TableData;
	/**
	 * The whole result (all groups of a grouped table, for charts); pageRows is the table's page.
	 * Quantile columns are filled for the page's rows only (the request's holisticWindow, registry.ts).
	 */
	result: (FullResult & { pageRows: unknown[][] }) | null;
}

/** Runs table `id` for the page URL; a failing metric becomes the table's error, not a crashed page. */
export async function runTable(id: string, url: URL, scope: Scope): Promise<TableRun> {
	const def = TABLES[id];
	const req = tableRequest(id, url.searchParams);
	const st = tableState(url.searchParams, id);
	const empty: TableData = {
		id,
		columns: [],
		rows: [],
		totalRows: 0,
		page: st.page,
		pageSize: def.pageSize,
		sort: req.sort?.field ?? null,
		dir: req.sort?.dir ?? 'desc',
		totals: null,
		exportQuery: exportQuery(id, url.searchParams)
	};
	try {
		const result = (await runMetric(req, scope)) as FullResult & { pageRows: unknown[][] };
		let truncated = false;
		if (def.paging !== 'metric') {
			// Grouped: every group came back in order (up to one past the cap); this table shows one page of them.
			if (result.rows.length > MAX_LOCAL_ROWS) {
				result.rows = result.rows.slice(0, MAX_LOCAL_ROWS);
				truncated = true;
			}
			result.totalRows = result.rows.length;
			result.pageRows = result.rows.slice((st.page - 1) * def.pageSize, st.page * def.pageSize);
		} else result.pageRows = result.rows;
		const keep = result.columns.map((c, i) => [c, i] as const).filter(([c]) => !def.hide?.includes(c.name));
		return {
			result,
			table: {
				...empty,
				columns: keep.map(([c]) => ({ name: c.name, kind: c.kind, label: c.label })),
				rows: result.pageRows.map((r) => keep.map(([, i]) => r[i])),
				totalRows: result.totalRows,
				...(truncated ? { truncated } : {}),
				totals: result.totals ? keep.map(([, i]) => result.totals![i]) : null,
				...previousAligned(result, keep.map(([, i]) => i), def.paging === 'metric')
			}
		};
	} catch (e) {
		if ((e as { status?: number }).status === 400) throw e;
		console.error(`table ${id} failed`, e);
		return { result: null, table: { ...empty, error: (e as Error).message } };
	}
}

/**
 * The previous period's rows lined up with the page's rows: by the group key, except months, which
 * pair by position (the n-th month of this period with the n-th of the previous one).
 */
function previousAligned(result: FullResult & { pageRows: unknown[][] }, keep: number[], paged: boolean): Pick<TableData, 'previous' | 'previousRange'> {
	if (!result.previous || paged) return { previous: null, previousRange: null };
	const byMonth = result.columns[0]?.name === 'month';
	const prevRows = result.previous.rows;
	const byKey = new Map(prevRows.map((r) => [String(r[0]), r]));
	const asc = (rows: unknown[][]) => rows.map((r) => String(r[0])).sort();
	const curMonths = asc(result.rows);
	const prevByMonth = new Map(asc(prevRows).map((m, i) => [i, byKey.get(m)!]));
	const previous = result.pageRows.map((r) => {
		const p = byMonth ? prevByMonth.get(curMonths.indexOf(String(r[0]))) : byKey.get(String(r[0]));
		return p ? keep.map((j) => p[j]) : null;
	});
	return { previous, previousRange: result.previousRange };
}

/** Column index by name in a result (−1 when absent). */
export const col = (r: NormalResult | null, name: string) => (r ? r.columns.findIndex((c) => c.name === name) : -1);

/** A column's values as numbers/nulls, for charts. */
export function series(r: NormalResult | null, name: string): (number | null)[] {
	const i = col(r, name);
	if (!r || i < 0) return [];
	return r.rows.map((row) => (typeof row[i] === 'number' ? (row[i] as number) : null));
}

export function kinds(r: NormalResult | null): Record<string, ValueKind> {
	return Object.fromEntries((r?.columns ?? []).map((c) => [c.name, c.kind]));
}
