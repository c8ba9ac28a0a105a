/**
 * Locale formatting for the dashboard (browser and server): numbers, CNY from integer fen,
 * percentages, hours, dates. One Intl formatter per (lang, options) is cached because pages
 * format thousands of cells.
 */
export type Lang = 'zh' | 'en';

/** What a column holds; decides formatting and alignment (numbers right-aligned, tabular). */
export type ValueKind = 'text' | 'int' | 'number' | 'money' | 'percent' | 'hours' | 'date' | 'month' | 'datetime' | 'bool';

const locale = (lang: Lang) => (lang === 'zh' ? 'zh-CN' : 'en-US');
const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function nf(lang: Lang, opts: Intl.NumberFormatOptions): Intl.NumberFormat {
	const k = `n|${lang}|${JSON.stringify(opts)}`;
	let f = cache.get(k);
	if (!f) cache.set(k, (f = new Intl.NumberFormat(locale(lang), opts)));
	return f as Intl.NumberFormat;
}
function df(lang: Lang, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
	const k = `d|${lang}|${JSON.stringify(opts)}`;
	let f = cache.get(k);
	if (!f) cache.set(k, (f = new Intl.DateTimeFormat(locale(lang), { timeZone: 'Asia/Shanghai', ...opts })));
	return f as Intl.DateTimeFormat;
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
export const DASH = '–';

export function formatInt(v: unknown, lang: Lang): string {
	return isNum(v) ? nf(lang, { maximumFractionDigits: 0 }).format(v) : DASH;
}

export function formatNumber(v: unknown, lang: Lang, digits = 1): string {
	return isNum(v) ? nf(lang, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(v) : DASH;
}

/**
 * Integer fen → '¥1,234.56' (both locales write the yuan sign; zh-CN's Intl gives '¥' as well).
 * Done with integer arithmetic so 0.1-style float errors never reach a cell.
 */
export function formatMoney(fen: unknown, lang: Lang): string {
	if (!isNum(fen)) return DASH;
	const neg = fen < 0;
	const a = Math.abs(Math.round(fen));
	const yuan = nf(lang, { maximumFractionDigits: 0 }).format(Math.floor(a / 100));
	const s = `¥${yuan}.${String(a % 100).padStart(2, '0')}`;
	return neg && a !== 0 ? `-${s}` : s;
}

/** Compact money for KPI tiles and axes: ¥1.2M / ¥120万. */
export function formatMoneyCompact(fen: unknown, lang: Lang): string {
	if (!isNum(fen)) return DASH;
	return '¥' + nf(lang, { notation: 'compact', maximumFractionDigits: 1 }).format(fen / 100);
}

/** A ratio (0.113) → '11.3%'. */
export function formatPercent(ratio: unknown, lang: Lang, digits = 1): string {
	return isNum(ratio)
		? nf(lang, { style: 'percent', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(ratio)
		: DASH;
}

/** A signed change in percentage points or relative change: '+3.2%' / '−1.0%'. */
export function formatSignedPercent(ratio: unknown, lang: Lang, digits = 1): string {
	return isNum(ratio)
		? nf(lang, { style: 'percent', signDisplay: 'exceptZero', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(ratio)
		: DASH;
}

/** Hours → '42.6 h' / '42.6 小时'. */
export function formatHours(h: unknown, lang: Lang, digits = 1): string {
	if (!isNum(h)) return DASH;
	return `${formatNumber(h, lang, digits)}${lang === 'zh' ? ' 小时' : ' h'}`;
}

/** 'YYYY-MM-DD' (a Shanghai day) or a Date → locale date. */
export function formatDate(v: unknown, lang: Lang): string {
	const d = toDate(v);
	return d ? df(lang, { year: 'numeric', month: 'short', day: 'numeric' }).format(d) : DASH;
}

/** 'YYYY-MM' → 'Mar 2026' / '2026年3月'. */
export function formatMonth(v: unknown, lang: Lang): string {
	if (typeof v !== 'string' || !/^\d{4}-\d{2}/.test(v)) return v == null ? DASH : String(v);
	const d = toDate(`${v.slice(0, 7)}-15`);
	return d ? df(lang, { year: 'numeric', month: 'short' }).format(d) : String(v);
}

/** An instant in Asia/Shanghai time: '2026-03-02 10:15' style per locale. */
export function formatDateTime(v: unknown, lang: Lang): string {
	const d = toDate(v);
	return d
		? df(lang, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false }).format(d)
		: DASH;
}

function toDate(v: unknown): Date | null {
	if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v;
	if (typeof v === 'string' && v) {
		// A bare day is a Shanghai day: noon there keeps it on the same date in every zone.
		const t = /^\d{4}-\d{2}-\d{2}$/.test(v) ? Date.parse(`${v}T12:00:00+08:00`) : Date.parse(v);
		return Number.isNaN(t) ? null : new Date(t);
	}
	if (isNum(v)) return new Date(v);
	return null;
}

export function formatValue(kind: ValueKind, v: unknown, lang: Lang): string {
	switch (kind) {
		case 'int':
			return formatInt(v, lang);
		case 'number':
			return formatNumber(v, lang, 2);
		case 'money':
			return formatMoney(v, lang);
		case 'percent':
			return formatPercent(v, lang);
		case 'hours':
			return formatHours(v, lang);
		case 'date':
			return formatDate(v, lang);
		case 'month':
			return formatMonth(v, lang);
		case 'datetime':
			return formatDateTime(v, lang);
		case 'bool':
			return v == null ? DASH : v ? (lang === 'zh' ? '是' : 'yes') : lang === 'zh' ? '否' : 'no';
		default:
			return v == null || v === '' ? DASH : String(v);
	}
}

export const isNumericKind = (k: ValueKind) => k === 'int' || k === 'number' || k === 'money' || k === 'percent' || k === 'hours';

/**
 * Whether a change is good news: `higher` metrics (CTR lift, on-time rate) improve upwards,
 * `lower` ones (rework, dispute rate, hours) downwards; `neutral` ones (volume) are never coloured.
 */
export type Direction = 'higher' | 'lower' | 'neutral';
export function deltaTone(delta: number | null | undefined, dir: Direction): 'good' | 'bad' | 'flat' {
	if (delta == null || !Number.isFinite(delta) || delta === 0 || dir === 'neutral') return 'flat';
	return (delta > 0) === (dir === 'higher') ? 'good' : 'bad';
}
