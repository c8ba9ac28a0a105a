/**
 * Translation: `translator(lang)` gives `t(key, vars?)`. Unknown keys (e.g. a metric column the
 * dictionary does not name yet) fall back to a readable form of the key, never to an empty cell.
 */
import { en, zh, type MessageKey } from './messages.ts';
import type { Lang } from '../format.ts';

export type { MessageKey };
export type T = (key: string, vars?: Record<string, string | number>) => string;

const dicts: Record<Lang, Record<string, string>> = { en, zh };

export function has(lang: Lang, key: string): boolean {
	return key in dicts[lang];
}

export function translator(lang: Lang): T {
	const d = dicts[lang] ?? en;
	return (key, vars) => {
		let s = d[key] ?? (en as Record<string, string>)[key] ?? humanize(key);
		if (vars) for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
		return s;
	};
}

/** 'col.first_draft_hours' → 'First draft hours'. */
export function humanize(key: string): string {
	const last = key.includes('.') ? key.slice(key.lastIndexOf('.') + 1) : key;
	const s = last.replaceAll('_', ' ');
	return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * A code value shown in a cell: categories, regions, reasons, rulings and image types are
 * translated; anything else is shown as is.
 */
export function codeLabel(t: T, lang: Lang, column: string, value: unknown): string {
	if (value == null) return '–';
	const v = String(value);
	const prefix =
		column === 'category' ? 'cat' : column === 'region' ? 'region' : column === 'reason_code' || column === 'reason' ? 'reason' : column === 'ruling' ? 'ruling' : column === 'image_type' ? 'image_type' : null;
	if (prefix && has(lang, `${prefix}.${v}`)) return t(`${prefix}.${v}`);
	return v;
}
