/**
 * CSV as the data contract wants it: UTF-8 with a BOM (spreadsheet programs then show Chinese
 * right), LF line ends, RFC 4180 quoting (papaparse). Text that came from input is neutralised
 * against formula injection: a cell starting with = + - @ (or tab / CR, which some programs strip
 * before looking) gets a leading apostrophe. Numbers and money are ours and are written as is.
 */
import Papa from 'papaparse';
import { formatYuan } from '../../money.ts';

export type CsvKind = 'text' | 'number' | 'money';
export interface CsvColumn {
	name: string;
	kind: CsvKind;
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** A text value made safe for a spreadsheet (leading ' before = + - @ tab CR). */
export function neutralise(s: string): string {
	return FORMULA_START.test(s) ? `'${s}` : s;
}

/** One cell as CSV text: money is integer fen → '227.97'; null/undefined → empty. */
export function csvCell(kind: CsvKind, v: unknown): string {
	if (v === null || v === undefined) return '';
	if (kind === 'money') {
		if (typeof v !== 'number') throw new TypeError(`money cell must be integer fen, got ${typeof v}`);
		return formatYuan(v);
	}
	if (kind === 'number') {
		if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`number cell must be a finite number, got ${String(v)}`);
		return String(v);
	}
	return neutralise(String(v));
}

export function toCsv(columns: CsvColumn[], rows: unknown[][], opts: { bom?: boolean; header?: boolean } = {}): string {
	const data: string[][] = rows.map((r) => columns.map((c, i) => csvCell(c.kind, r[i])));
	const body = Papa.unparse(
		{ fields: columns.map((c) => c.name), data },
		{ newline: '\n', header: opts.header ?? true, quotes: false, escapeFormulae: false }
	);
	// papaparse puts no newline after the last row; a text file ends with one.
	return (opts.bom === false ? '' : '\uFEFF') + body + (body ? '\n' : '');
}
