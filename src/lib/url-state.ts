/**
 * The dashboard's view state lives in the URL, readable (?from=2026-01-01&to=2026-03-31&category=jewelry,home
 * &group=month&compare=1), so a copied link reopens the same view and back/forward work. These helpers build
 * the next URL from the current one; pages navigate with goto(next) and their load functions read
 * url.searchParams (the metrics layer's parseRequestFromUrl is the one parser of filters).
 */

/** The filter parameters the filter bar edits; anything else (sort, page, tab) is kept as is. */
export const FILTER_KEYS = ['from', 'to', 'category', 'provider', 'region', 'image_type', 'form', 'compare'] as const;
export type FilterKey = (typeof FILTER_KEYS)[number];

export type ParamValue = string | number | boolean | readonly string[] | null | undefined;

/**
 * The URL with `changes` applied: null/undefined/''/[]/false remove a parameter, arrays are written
 * comma-separated, true is written '1'. Paging of every table resets when a filter changes, since
 * page 7 of another filter means nothing.
 */
export function withParams(current: URL | string, changes: Record<string, ParamValue>, opts: { resetPaging?: boolean } = {}): string {
	const url = new URL(String(current), 'http://x');
	const p = url.searchParams;
	for (const [k, v] of Object.entries(changes)) {
		if (v == null || v === '' || v === false || (Array.isArray(v) && v.length === 0)) p.delete(k);
		else if (Array.isArray(v)) p.set(k, v.join(','));
		else p.set(k, v === true ? '1' : String(v));
	}
	if (opts.resetPaging ?? Object.keys(changes).some((k) => (FILTER_KEYS as readonly string[]).includes(k))) {
		for (const k of [...p.keys()]) if (k === 'page' || k.endsWith('.page')) p.delete(k);
	}
	p.sort(); // one spelling per view, so equal views have equal links
	const qs = p.toString();
	return url.pathname + (qs ? `?${qs}` : '') + url.hash;
}

/** A comma list parameter as an array ('' and missing → []). */
export function listParam(params: URLSearchParams, key: string): string[] {
	const v = params.get(key);
	return v ? v.split(',').map((s) => s.trim()).filter(Boolean) : [];
}

/** The filter parameters only, for links that carry the view to another page or a download. */
export function filterQuery(params: URLSearchParams, extra: Record<string, ParamValue> = {}): string {
	const out = new URLSearchParams();
	for (const k of FILTER_KEYS) {
		const v = params.get(k);
		if (v) out.set(k, v);
	}
	const u = withParams(`/?${out}`, extra, { resetPaging: false });
	return u.replace(/^\/\??/, ''); // drop the leading '/?'
}

// ---- time range presets -------------------------------------------------------------------------

export const PRESETS = ['30d', '90d', 'mtd', 'last_month', 'qtd', 'ytd', '12m', 'all'] as const;
export type Preset = (typeof PRESETS)[number];

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86400_000).toISOString().slice(0, 10);
const monthStart = (day: string) => `${day.slice(0, 7)}-01`;
function addMonths(day: string, n: number): string {
	const d = new Date(`${day}T00:00:00Z`);
	d.setUTCDate(1);
	d.setUTCMonth(d.getUTCMonth() + n);
	return d.toISOString().slice(0, 10);
}

/** A preset's inclusive day range relative to `today` (a Shanghai day); 'all' is no range. */
export function presetRange(preset: Preset, today: string): { from: string | null; to: string | null } {
	const yesterday = addDays(today, -1);
	switch (preset) {
		case '30d':
			return { from: addDays(today, -30), to: yesterday };
		case '90d':
			return { from: addDays(today, -90), to: yesterday };
		case 'mtd':
			return { from: monthStart(today), to: today };
		case 'last_month': {
			const from = addMonths(today, -1);
			return { from, to: addDays(monthStart(today), -1) };
		}
		case 'qtd': {
			const m = Number(today.slice(5, 7));
			const q = Math.floor((m - 1) / 3) * 3 + 1;
			return { from: `${today.slice(0, 4)}-${String(q).padStart(2, '0')}-01`, to: today };
		}
		case 'ytd':
			return { from: `${today.slice(0, 4)}-01-01`, to: today };
		case '12m':
			return { from: addMonths(today, -12), to: addDays(monthStart(today), -1) };
		case 'all':
			// The sample history and the calendar both start in 2024; an explicit range keeps links exact.
			return { from: '2024-01-01', to: today };
	}
}

/** The preset a page shows when its URL names no range. */
export const DEFAULT_PRESET: Preset = '12m';

/** The range a page shows: the URL's when it has both ends, else the default preset's. */
export function effectiveRange(params: URLSearchParams, today: string): { from: string; to: string } {
	const from = params.get('from');
	const to = params.get('to');
	if (from && to) return { from, to };
	const r = presetRange(DEFAULT_PRESET, today);
	return { from: r.from!, to: r.to! };
}

/** Which preset, if any, the URL's range equals (so the preset button shows as active). */
export function activePreset(from: string | null, to: string | null, today: string): Preset | null {
	for (const p of PRESETS) {
		const r = presetRange(p, today);
		if (r.from === (from || null) && r.to === (to || null)) return p;
	}
	return null;
}

// ---- tables: sort and page per table, namespaced so two tables on one page do not collide ----------

export interface TableState {
	sort: string | null;
	dir: 'asc' | 'desc';
	page: number;
}

export function tableState(params: URLSearchParams, table: string): TableState {
	const dir = params.get(`${table}.dir`) === 'asc' ? 'asc' : 'desc';
	const page = Math.max(1, Math.floor(Number(params.get(`${table}.page`)) || 1));
	return { sort: params.get(`${table}.sort`), dir, page };
}

/** Clicking a header: sort by it (descending first for numbers people rank), again flips the direction. */
export function sortHref(current: URL, table: string, column: string): string {
	const s = tableState(current.searchParams, table);
	const dir = s.sort === column && s.dir === 'desc' ? 'asc' : 'desc';
	return withParams(current, { [`${table}.sort`]: column, [`${table}.dir`]: dir, [`${table}.page`]: null }, { resetPaging: false });
}

export function pageHref(current: URL, table: string, page: number): string {
	return withParams(current, { [`${table}.page`]: page > 1 ? page : null }, { resetPaging: false });
}
