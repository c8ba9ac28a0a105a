/**
 * Every downloadable table of the dashboard, by id. A page shows table X by calling runTable(X, url, …)
 * and /export/X re-runs the same request from the same URL with every row, so a download holds
 * exactly what the table shows (same filters, same sort), all pages of it.
 *
 * Page URLs carry the filters once for the whole page (from, to, category, …); a table's own sort
 * and page are namespaced by its id (rework_month.sort=…), so several tables share one URL.
 */
import { error } from '@sveltejs/kit';
import { ZodError } from 'zod';
import type { ValueKind } from '$lib/format';
import { effectiveRange, tableState } from '$lib/url-state';
import { today } from '$lib/server/clock';
import type { TableData } from '$lib/components/types';
import { parseRequestFromUrl, type MetricRequest, type Scope } from '$lib/server/metrics/request';
import { runMetric, type FullResult, type NormalResult } from './metrics-bridge.server';

/** URL keys that are filters of the metric request (everything else on a page URL is view state). */
export const REQUEST_FILTER_KEYS = ['from', 'to', 'category', 'provider', 'region', 'image_type', 'form', 'first', 'compare', 'reason', 'ruling'] as const;

export interface TableDef {
	/** The request this table runs; filters from the URL are merged over it. */
	request: Omit<MetricRequest, 'range' | 'limit' | 'offset' | 'sort'> & { range?: never };
	pageSize: number;
	defaultSort?: { field: string; dir: 'asc' | 'desc' };
	/** Columns to leave out of the table (shown elsewhere, or internal). */
	hide?: string[];
	/**
	 * Who pages: 'metric' for item lists (the metrics layer pages in SQL and counts), 'local' for
	 * grouped tables (a few hundred groups at most: all come back sorted, the page is cut here).
	 */
	paging?: 'metric' | 'local';
}

const SLA_ITEMS_PAGE = 25;

export const TABLES: Record<string, TableDef> = {
	// Overview
	volume_month: { request: { metric: 'volume', groupBy: 'month' }, pageSize: 36, defaultSort: { field: 'month', dir: 'asc' } },
	// Rework
	rework_month: { request: { metric: 'rework', groupBy: 'month' }, pageSize: 36, defaultSort: { field: 'month', dir: 'asc' } },
	rework_form: { request: { metric: 'rework', groupBy: 'form_filled' }, pageSize: 10 },
	rework_first_form: { request: { metric: 'rework', groupBy: 'form_filled', filters: { firstOrder: true } }, pageSize: 10 },
	rework_reasons: { request: { metric: 'rework_reasons', groupBy: 'reason' }, pageSize: 12, defaultSort: { field: 'revisions', dir: 'desc' } },
	rework_provider: { request: { metric: 'rework', groupBy: 'provider' }, pageSize: 15, defaultSort: { field: 'rework_rate', dir: 'desc' } },
	// SLA (one service level at a time: ?sla=…)
	sla_month: { request: { metric: 'sla', groupBy: 'month' }, pageSize: 36, defaultSort: { field: 'month', dir: 'asc' } },
	sla_provider: { request: { metric: 'sla', groupBy: 'provider' }, pageSize: 15 },
	sla_breaches: { request: { metric: 'sla_items', filters: { slaState: ['breached'] } }, pageSize: SLA_ITEMS_PAGE, paging: 'metric', hide: ['item_id', 'beyond_calendar', 'missing_year'] },
	sla_at_risk: { request: { metric: 'sla_items', filters: { slaState: ['at_risk'] } }, pageSize: SLA_ITEMS_PAGE, paging: 'metric', hide: ['item_id', 'beyond_calendar', 'missing_year', 'stop_at'] },
	// Disputes
	disputes_month: { request: { metric: 'disputes', groupBy: 'month' }, pageSize: 36, defaultSort: { field: 'month', dir: 'asc' } },
	dispute_rulings: { request: { metric: 'dispute_mix', groupBy: 'ruling' }, pageSize: 10 },
	dispute_reasons: { request: { metric: 'dispute_mix', groupBy: 'reason' }, pageSize: 12, defaultSort: { field: 'disputes', dir: 'desc' } },
	guidance_sellers: { request: { metric: 'guidance_sellers' }, pageSize: 20 },
	// CTR
	ctr_category: { request: { metric: 'ctr', groupBy: 'category' }, pageSize: 20 },
	ctr_month: { request: { metric: 'ctr', groupBy: 'month' }, pageSize: 36, defaultSort: { field: 'month', dir: 'asc' } },
	ctr_did: { request: { metric: 'ctr_did', groupBy: 'category' }, pageSize: 20 },
	ctr_provider: { request: { metric: 'ctr', groupBy: 'provider' }, pageSize: 20 },
	ctr_orders: { request: { metric: 'ctr_orders' }, pageSize: 25, paging: 'metric' },
	// Providers / categories
	provider_volume: { request: { metric: 'volume', groupBy: 'provider' }, pageSize: 20, defaultSort: { field: 'orders', dir: 'desc' } },
	provider_disputes: { request: { metric: 'disputes', groupBy: 'provider' }, pageSize: 20 },
	provider_compensation: { request: { metric: 'compensation', groupBy: 'provider' }, pageSize: 20 },
	category_volume: { request: { metric: 'volume', groupBy: 'category' }, pageSize: 20, defaultSort: { field: 'orders', dir: 'desc' } },
	category_rework: { request: { metric: 'rework', groupBy: 'category' }, pageSize: 20 },
	category_disputes: { request: { metric: 'disputes', groupBy: 'category' }, pageSize: 20 },
	category_compensation: { request: { metric: 'compensation', groupBy: 'category' }, pageSize: 20 },
	region_volume: { request: { metric: 'volume', groupBy: 'region' }, pageSize: 10 },
	// Seller portal (scope makes these the seller's own)
	seller_ctr_orders: { request: { metric: 'ctr_orders' }, pageSize: 25, paging: 'metric' },
	seller_orders: { request: { metric: 'volume', groupBy: 'month' }, pageSize: 36, defaultSort: { field: 'month', dir: 'asc' } }
};

/** The service level a URL names (SLA page), defaulting to on-time delivery. */
export function slaFromUrl(params: URLSearchParams): MetricRequest['sla'] {
	const s = params.get('sla');
	const ok = ['on_time_delivery', 'first_draft', 'acceptance', 'dispute_first_response', 'arbitration', 'provider_accountability', 'payment', 'bill_generation'];
	return (s && ok.includes(s) ? s : 'on_time_delivery') as MetricRequest['sla'];
}

/** The metric request of table `id` for this URL: page filters + the table's sort and page. */
export function tableRequest(id: string, params: URLSearchParams, opts: { all?: boolean; sortFromExport?: boolean } = {}): MetricRequest {
	const def = TABLES[id];
	if (!def) error(404, `no table ${id}`);
	const filterParams = new URLSearchParams();
	for (const k of REQUEST_FILTER_KEYS) {
		const v = params.get(k);
		if (v) filterParams.set(k, v);
	}
	// No range (or half of one) in the URL: the default preset's, so every table has a period to compare with.
	const range = effectiveRange(params, today());
	filterParams.set('from', range.from);
	filterParams.set('to', range.to);
	const st = tableState(params, id);
	const sortField = st.sort ?? def.defaultSort?.field;
	const dir = st.sort ? st.dir : (def.defaultSort?.dir ?? 'desc');
	const base: Partial<MetricRequest> = { ...def.request } as Partial<MetricRequest>;
	if (base.metric === 'sla' || base.metric === 'sla_items') base.sla = slaFromUrl(params);
	let req: MetricRequest;
	try {
		req = parseRequestFromUrl(filterParams, base);
	} catch (e) {
		if (e instanceof ZodError) error(400, `bad filter: ${e.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
		throw e;
	}
	// Filters from the table definition (e.g. first orders only) stay on whatever the URL says.
	if (def.request.filters) req.filters = { ...(req.filters ?? {}), ...def.request.filters };
	if (sortField) req.sort = { field: sortField, dir };
	if (!opts.all && def.paging === 'metric') {
		req.limit = def.pageSize;
		req.offset = (st.page - 1) * def.pageSize;
	} else {
		req.limit = 10_000;
		req.offset = 0;
	}
	return req;
}

/** The query string /export/{id} needs: the page's filters plus this table's sort. */
export function exportQuery(id: string, params: URLSearchParams): string {
	const out = new URLSearchParams();
	for (const k of [...REQUEST_FILTER_KEYS, 'sla']) {
		const v = params.get(k);
		if (v) out.set(k, v);
	}
	// The download names the range it shows, even when the page used the default one.
	const range = effectiveRange(params, today());
	out.set('from', range.from);
	out.set('to', range.to);
	for (const k of ['sort', 'dir']) {
		const v = params.get(`${id}.${k}`);
		if (v) out.set(`${id}.${k}`, v);
	}
	out.sort();
	return out.toString();
}

export interface TableRun {
	table: TableData;
	/** The whole result (all groups of a grouped table, for charts); pageRows is the table's page. */
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
		if (def.paging !== 'metric') {
			// Grouped: every group came back in order; this table shows one page of them.
			result.totalRows = result.rows.length;
			result.pageRows = result.rows.slice((st.page - 1) * def.pageSize, st.page * def.pageSize);
		} else result.pageRows = result.rows;
		const keep = result.columns.map((c, i) => [c, i] as const).filter(([c]) => !def.hide?.includes(c.name));
		return {
			result,
			table: {
				...empty,
				columns: keep.map(([c]) => ({ name: c.name, kind: c.kind, label: undefined })),
				rows: result.pageRows.map((r) => keep.map(([, i]) => r[i])),
				totalRows: result.totalRows,
				totals: result.totals ? keep.map(([, i]) => result.totals![i]) : null
			}
		};
	} catch (e) {
		if ((e as { status?: number }).status === 400) throw e;
		console.error(`table ${id} failed`, e);
		return { result: null, table: { ...empty, error: (e as Error).message } };
	}
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
