/**
 * Every table of the dashboard, by id, and the metric request it runs for a page URL. Pure (relative
 * imports only) so bench/pages.ts can run the pages' requests under tsx; tables.server.ts adds the
 * SvelteKit side. A page shows table X by calling runTable(X, url, …) and /export/X re-runs the same
 * request from the same URL with every row, so a download holds exactly what the table shows.
 *
 * Page URLs carry the filters once for the whole page (from, to, category, …); a table's own sort
 * and page are namespaced by its id (rework_month.sort=…), so several tables share one URL.
 */
import { effectiveRange, tableState } from '../../lib/url-state.ts';
import { today } from '../../lib/server/clock.ts';
import { MAX_RESULT_ROWS, parseRequestFromUrl, type MetricRequest } from '../../lib/server/metrics/request.ts';

export class UnknownTableError extends Error {
	constructor(public readonly table: string) {
		super(`no table ${table}`);
		this.name = 'UnknownTableError';
	}
}

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
	guidance_sellers: { request: { metric: 'guidance_sellers' }, pageSize: 20, paging: 'metric' },
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
	// Per SKU needs a 'sku' dimension in the metrics layer (asked for); until then, per category.
	seller_ctr_sku: { request: { metric: 'ctr', groupBy: 'category' }, pageSize: 25 },
	seller_ctr_month: { request: { metric: 'ctr', groupBy: 'month' }, pageSize: 36, defaultSort: { field: 'month', dir: 'asc' } },
	seller_volume_month: { request: { metric: 'volume', groupBy: 'month' }, pageSize: 36, defaultSort: { field: 'month', dir: 'asc' } },
	seller_orders: { request: { metric: 'sla_items', sla: 'on_time_delivery' }, pageSize: 25, paging: 'metric', hide: ['item_id', 'seller_id', 'seller_name', 'region', 'beyond_calendar', 'missing_year'] }
};

/** The service level a URL names (SLA page), defaulting to on-time delivery. */
export function slaFromUrl(params: URLSearchParams): MetricRequest['sla'] {
	const s = params.get('sla');
	const ok = ['on_time_delivery', 'first_draft', 'acceptance', 'dispute_first_response', 'arbitration', 'provider_accountability', 'payment', 'bill_generation'];
	return (s && ok.includes(s) ? s : 'on_time_delivery') as MetricRequest['sla'];
}

/**
 * The page's filters from its URL, with the range made whole: no range (or half of one) in the URL
 * means the default preset's, so every table and tile has a period to compare with.
 */
function pageFilterParams(params: URLSearchParams, day?: string): URLSearchParams {
	const out = new URLSearchParams();
	for (const k of REQUEST_FILTER_KEYS) {
		const v = params.get(k);
		if (v) out.set(k, v);
	}
	const range = effectiveRange(params, day ?? today());
	out.set('from', range.from);
	out.set('to', range.to);
	return out;
}

/** Most groups a locally paged table holds (its charts get them all); past it the page says it is cut. */
export const MAX_LOCAL_ROWS = 10_000;

/** The metric request of table `id` for this URL: page filters + the table's sort and page. */
export function tableRequest(id: string, params: URLSearchParams, opts: { all?: boolean; today?: string } = {}): MetricRequest {
	const def = TABLES[id];
	if (!def) throw new UnknownTableError(id);
	const filterParams = pageFilterParams(params, opts.today);
	const st = tableState(params, id);
	const sortField = st.sort ?? def.defaultSort?.field;
	const dir = st.sort ? st.dir : (def.defaultSort?.dir ?? 'desc');
	const base: Partial<MetricRequest> = { ...def.request } as Partial<MetricRequest>;
	if ((base.metric === 'sla' || base.metric === 'sla_items') && !base.sla) base.sla = slaFromUrl(params);
	const req: MetricRequest = parseRequestFromUrl(filterParams, base);
	// Filters from the table definition (e.g. first orders only) stay on whatever the URL says.
	if (def.request.filters) req.filters = { ...(req.filters ?? {}), ...def.request.filters };
	if (sortField) req.sort = { field: sortField, dir };
	if (!opts.all && def.paging === 'metric') {
		req.limit = def.pageSize;
		req.offset = (st.page - 1) * def.pageSize;
	} else {
		// Downloads and locally paged tables take every row; one more than the cap tells the caller
		// the result was cut (exportTable refuses, a page says so).
		req.limit = (opts.all ? MAX_RESULT_ROWS : MAX_LOCAL_ROWS) + 1;
		req.offset = 0;
		// the page shows one page of the groups: quantiles are needed for those rows only
		if (!opts.all && req.groupBy) req.holisticWindow = { offset: (st.page - 1) * def.pageSize, limit: def.pageSize };
	}
	return req;
}

/** Metric sets whose KPI requests can name their measures (the grouped sets; overview and CTR compute theirs whole). */
const MEASURED_KPI_METRICS: ReadonlySet<string> = new Set(['volume', 'rework', 'rework_reasons', 'disputes', 'dispute_mix', 'compensation', 'sla']);

/**
 * The request behind a page's KPI tiles of one metric set: the page's filters, its range (the default
 * preset's when the URL has none), compare on, and only the measures the tiles show — a tile showing
 * attainment does not pay for quantiles. The pages (kpis.server.ts) and the bench both call this.
 */
export function kpiRequest(params: URLSearchParams, kpi: { metric: MetricRequest['metric']; sla?: MetricRequest['sla']; measures?: string[] }, opts: { today?: string } = {}): MetricRequest {
	const p = pageFilterParams(params, opts.today);
	p.set('compare', '1');
	const req = parseRequestFromUrl(p, { metric: kpi.metric, ...(kpi.sla ? { sla: kpi.sla } : {}) });
	if (kpi.measures?.length && MEASURED_KPI_METRICS.has(kpi.metric)) req.measures = [...new Set(kpi.measures)];
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

/**
 * What each page loads (the tables its +page.server.ts runs, and the metric sets of its KPI tiles).
 * bench/pages.ts times these; keep in step with the pages.
 */
export const PAGE_DATA: Record<string, { tables: string[]; kpis: { metric: MetricRequest['metric']; sla?: MetricRequest['sla']; measures?: string[] }[]; afterPaint?: string[] }> = {
	'/': { tables: ['volume_month', 'rework_month', 'disputes_month', 'ctr_month'], kpis: [{ metric: 'overview' }] },
	'/rework': { tables: ['rework_month', 'rework_form', 'rework_first_form', 'rework_reasons', 'rework_provider'], kpis: [{ metric: 'rework', measures: ['rework_rate'] }] },
	'/sla': {
		tables: ['sla_month', 'sla_provider', 'sla_breaches', 'sla_at_risk'],
		kpis: (['on_time_delivery', 'first_draft', 'acceptance', 'dispute_first_response', 'arbitration', 'provider_accountability', 'payment'] as const).map((sla) => ({
			metric: 'sla' as const,
			sla,
			measures: [sla === 'first_draft' ? 'mean_hours' : sla === 'acceptance' ? 'share_explicit' : 'attainment']
		}))
	},
	'/disputes': { tables: ['disputes_month', 'dispute_rulings', 'dispute_reasons', 'guidance_sellers'], kpis: [
			{ metric: 'disputes', measures: ['dispute_rate'] },
			{ metric: 'sla', sla: 'arbitration', measures: ['mean_hours', 'attainment'] },
			{ metric: 'sla', sla: 'dispute_first_response', measures: ['attainment'] }
		]
	},
	// ctr_did is fetched by the page after first paint (/export/ctr_did?format=json): not part of its server data.
	'/ctr': { tables: ['ctr_category', 'ctr_provider', 'ctr_orders'], kpis: [{ metric: 'ctr' }], afterPaint: ['ctr_did'] },
	'/providers': { tables: ['provider_volume', 'rework_provider', 'sla_provider', 'provider_disputes', 'ctr_provider', 'provider_compensation'], kpis: [] },
	'/categories': { tables: ['category_volume', 'category_rework', 'ctr_category', 'category_disputes', 'category_compensation', 'region_volume'], kpis: [] },
	'/seller': { tables: ['seller_ctr_sku', 'seller_ctr_month', 'seller_ctr_orders'], kpis: [{ metric: 'ctr' }] },
	'/seller/orders': { tables: ['seller_orders', 'seller_volume_month'], kpis: [] }
};
