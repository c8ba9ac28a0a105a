/**
 * A metric request: which metric set, which time range, which filters, how to group and sort.
 * Validated with zod before anything is compiled; the URL form is the dashboard's view state.
 */
import { z } from 'zod';
import { CATEGORIES, IMAGE_TYPES, REASON_CODES, REGIONS, RULINGS } from '../../contract-enums.ts';

export const METRIC_SETS = [
	'volume',
	'rework',
	'rework_reasons',
	'sla',
	'sla_items',
	'disputes',
	'dispute_mix',
	'guidance_sellers',
	'ctr',
	'ctr_orders',
	'ctr_did',
	'compensation',
	'overview'
] as const;
export type MetricSetName = (typeof METRIC_SETS)[number];

export const DIMENSIONS = [
	'category',
	'provider',
	'region',
	'seller',
	'image_type',
	'form_filled',
	'first_order',
	'reason',
	'ruling',
	'day',
	'week',
	'month'
] as const;
export type Dimension = (typeof DIMENSIONS)[number];

export const TIME_COLUMNS = [
	'published_at',
	'first_draft_at',
	'delivered_at',
	'accepted_at',
	'live_at',
	'cancelled_at',
	'requested_at',
	'opened_at',
	'resolved_at',
	'delisted_at',
	'compensated_at',
	'start_at',
	'window_closed_on'
] as const;
export type TimeColumn = (typeof TIME_COLUMNS)[number];

export const SLA_NAMES = [
	'on_time_delivery',
	'first_draft',
	'acceptance',
	'dispute_first_response',
	'arbitration',
	'provider_accountability',
	'payment',
	'bill_generation'
] as const;
export type SlaName = (typeof SLA_NAMES)[number];

export const SLA_STATES = ['met', 'breached', 'open', 'at_risk'] as const;
export type SlaStateName = (typeof SLA_STATES)[number];

const day = z
	.string()
	.regex(/^\d{4}-\d{2}-\d{2}$/, 'a day as YYYY-MM-DD')
	.refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), 'not a calendar day');

// Filter values are free text (ids come from data); they only ever travel as bound parameters.
const idList = z.array(z.string().min(1).max(200)).max(500);

export const filtersSchema = z
	.object({
		category: idList.optional(),
		provider: idList.optional(),
		region: idList.optional(),
		seller: idList.optional(),
		imageType: z.array(z.enum(IMAGE_TYPES)).max(2).optional(),
		formFilled: z.boolean().optional(),
		firstOrder: z.boolean().optional(),
		reason: z.array(z.enum(REASON_CODES)).max(12).optional(),
		ruling: z.array(z.enum(RULINGS)).max(3).optional(),
		/** sla_items only: which states to list. */
		slaState: z.array(z.enum(SLA_STATES)).max(4).optional()
	})
	.strict();
export type Filters = z.infer<typeof filtersSchema>;

/**
 * Most rows one request returns: a download of a table ("all rows, with the filters") asks for one
 * more, and refuses with a message when it gets it — never a silently cut file.
 */
export const MAX_RESULT_ROWS = 1_000_000;

export const metricRequestSchema = z
	.object({
		metric: z.enum(METRIC_SETS),
		range: z
			.object({ column: z.enum(TIME_COLUMNS).optional(), from: day, to: day })
			.strict()
			.refine((r) => r.from <= r.to, 'range.from must not be after range.to')
			.optional(),
		filters: filtersSchema.optional(),
		groupBy: z.enum(DIMENSIONS).optional(),
		compare: z.boolean().optional(),
		sort: z
			.object({ field: z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'a column name'), dir: z.enum(['asc', 'desc']) })
			.strict()
			.optional(),
		limit: z.number().int().min(1).max(MAX_RESULT_ROWS + 1).optional(),
		offset: z.number().int().min(0).max(10_000_000).optional(),
		/** metric 'sla' / 'sla_items': which service level. */
		sla: z.enum(SLA_NAMES).optional(),
		/**
		 * Grouped sets: only these measures (default: all). A KPI tile that shows one figure asks for
		 * it alone, so costly measures it does not show (quantiles) are not computed.
		 */
		measures: z.array(z.string().regex(/^[a-z][a-z0-9_]{0,62}$/, 'a measure name')).min(1).max(50).optional(),
		/**
		 * Grouped sets: the rows (positions in the sorted result, as offset/limit) a caller shows. Quantiles
		 * (holistic measures) may then be computed for those groups only — others come back NULL — when the
		 * sort is not itself a quantile. A table that pages locally gets every group for its totals and
		 * shows one page; a download never sets it.
		 */
		holisticWindow: z
			.object({ offset: z.number().int().min(0).max(10_000_000), limit: z.number().int().min(1).max(MAX_RESULT_ROWS) })
			.strict()
			.optional()
	})
	.strict();
export type MetricRequest = z.infer<typeof metricRequestSchema>;

/** Who is asking: a seller session sees only its own seller_id; staff see everything (null). */
export interface Scope {
	sellerId: string | null;
}

export const ALL_REGIONS = REGIONS;
export const ALL_CATEGORIES = CATEGORIES;

export function parseRequest(input: unknown): MetricRequest {
	return metricRequestSchema.parse(input);
}

// ---- URL form ----------------------------------------------------------------------------------
// ?metric=rework&from=2026-01-01&to=2026-03-31&time=first_draft_at&category=jewelry,home&group=month
//  &compare=1&sort=-rework_rate&limit=50&offset=0&form=1&first=0&image_type=main&sla=arbitration&state=breached

const LIST_KEYS: [keyof Filters, string][] = [
	['category', 'category'],
	['provider', 'provider'],
	['region', 'region'],
	['seller', 'seller'],
	['imageType', 'image_type'],
	['reason', 'reason'],
	['ruling', 'ruling'],
	['slaState', 'state']
];
const BOOL_KEYS: [keyof Filters, string][] = [
	['formFilled', 'form'],
	['firstOrder', 'first']
];

const list = (v: string | null) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : []);
function bool(v: string | null): boolean | undefined {
	if (v === '1' || v === 'true') return true;
	if (v === '0' || v === 'false') return false;
	return undefined;
}
function int(v: string | null): number | undefined {
	return v !== null && /^\d+$/.test(v) ? Number(v) : undefined;
}

/**
 * The request a dashboard URL describes. `defaults` fills what the page implies (its metric);
 * a malformed value fails validation with a ZodError (callers answer 400).
 */
export function parseRequestFromUrl(url: URLSearchParams, defaults: Partial<MetricRequest> = {}): MetricRequest {
	const filters: Record<string, unknown> = { ...(defaults.filters ?? {}) };
	for (const [k, p] of LIST_KEYS) {
		const v = list(url.get(p));
		if (v.length) filters[k] = v;
	}
	for (const [k, p] of BOOL_KEYS) {
		const b = bool(url.get(p));
		if (b !== undefined) filters[k] = b;
	}
	const req: Record<string, unknown> = { ...defaults };
	if (url.get('metric')) req.metric = url.get('metric');
	const from = url.get('from');
	const to = url.get('to');
	if (from || to) req.range = { ...(url.get('time') ? { column: url.get('time') } : {}), from, to };
	if (Object.keys(filters).length) req.filters = filters;
	if (url.get('group')) req.groupBy = url.get('group');
	const cmp = bool(url.get('compare'));
	if (cmp !== undefined) req.compare = cmp;
	const sort = url.get('sort');
	if (sort) req.sort = sort.startsWith('-') ? { field: sort.slice(1), dir: 'desc' } : { field: sort, dir: 'asc' };
	const limit = int(url.get('limit'));
	if (limit !== undefined) req.limit = limit;
	const offset = int(url.get('offset'));
	if (offset !== undefined) req.offset = offset;
	if (url.get('sla')) req.sla = url.get('sla');
	return metricRequestSchema.parse(req);
}

/** The readable query string of a request (keys sorted, so equal requests give equal links). */
export function requestToUrl(req: MetricRequest): URLSearchParams {
	const p = new URLSearchParams();
	p.set('metric', req.metric);
	if (req.range) {
		p.set('from', req.range.from);
		p.set('to', req.range.to);
		if (req.range.column) p.set('time', req.range.column);
	}
	const f = req.filters ?? {};
	for (const [k, name] of LIST_KEYS) {
		const v = f[k] as string[] | undefined;
		if (v && v.length) p.set(name, v.join(','));
	}
	for (const [k, name] of BOOL_KEYS) {
		const v = f[k] as boolean | undefined;
		if (v !== undefined) p.set(name, v ? '1' : '0');
	}
	if (req.groupBy) p.set('group', req.groupBy);
	if (req.compare !== undefined) p.set('compare', req.compare ? '1' : '0');
	if (req.sort) p.set('sort', (req.sort.dir === 'desc' ? '-' : '') + req.sort.field);
	if (req.limit !== undefined) p.set('limit', String(req.limit));
	if (req.offset !== undefined) p.set('offset', String(req.offset));
	if (req.sla) p.set('sla', req.sla);
	p.sort();
	return p;
}
