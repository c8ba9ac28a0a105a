/**
 * CSV as the data contract wants it: UTF-8 with a BOM (spreadsheet programs then show Chinese
 * right), LF line ends, RFC 4180 quoting (as papaparse's unparse does it). Text that came from input is neutralised
 * against formula injection: a cell starting with = + - @ (or tab / CR, which some programs strip
 * before looking) gets a leading apostrophe. Numbers and money are ours and are written as is.
 */
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

// RFC 4180 quoting exactly as papaparse's unparse (quotes: false) does it: a field is quoted when it
// holds a delimiter, quote, CR, LF or BOM, or starts or ends with a space; quotes are doubled. Written
// out here because bill-lines.csv is ~500,000 rows and papaparse's generic path was most of its time;
// test/unit/billing/csv.test.ts checks the bytes equal papaparse's for any text.
const NEEDS_QUOTES = /[",\r\n\uFEFF]|^ | $/;

function csvField(s: string): string {
	return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(columns: CsvColumn[], rows: unknown[][], opts: { bom?: boolean; header?: boolean } = {}): string {
	const lines: string[] = [];
	if (opts.header ?? true) lines.push(columns.map((c) => csvField(c.name)).join(','));
	const n = columns.length;
	for (const r of rows) {
		let line = '';
		for (let i = 0; i < n; i++) {
			if (i) line += ',';
			line += csvField(csvCell(columns[i].kind, r[i]));
		}
		lines.push(line);
	}
	// A text file ends with a newline. A header without rows ends with two: papaparse wrote one after
	// it and the newline was added on top; kept so that files keep their bytes.
	const tail = lines.length ? (rows.length ? '\n' : '\n\n') : '';
	return (opts.bom === false ? '' : '\uFEFF') + lines.join('\n') + tail;
}
