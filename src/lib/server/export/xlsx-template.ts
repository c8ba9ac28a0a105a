/**
 * Workbooks from a template: ExcelJS builds a workbook once (styles, number formats, column
 * widths, frozen panes, filters, title and header rows, and probe rows whose cells carry the styles
 * data cells need); afterwards each file only gets its rows as XML text, and the template's other
 * parts are compressed once and reused. This is how thousands of seller workbooks and sheets of
 * hundreds of thousands of rows are written in seconds with identical bytes for identical rows.
 *
 * Rows written here use inline strings (`t="inlineStr"`): a string cell is never evaluated as a
 * formula, whatever it starts with; formulas are only the ones we write (`<f>`).
 */
import ExcelJS from 'exceljs';
import { strFromU8, unzipSync } from 'fflate';
import { FIXED_WORKBOOK_DATE } from './xlsx.ts';
import { deflateEntry, StreamedEntry, zipEntries, type ZipEntry } from './zip.ts';

export function colLetter(n: number): string {
	let s = '';
	for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
	return s;
}

// Characters XML 1.0 cannot hold, and text that Excel would read as its own _xHHHH_ escape.
// eslint-disable-next-line no-control-regex -- the control characters are what is looked for
const NEEDS_ESCAPE = /[&<>\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|_x[0-9a-fA-F]{4}_|[\ud800-\udfff]/;
// eslint-disable-next-line no-control-regex -- as above
const ESCAPE_ALL = /[&<>\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|_(?=x[0-9a-fA-F]{4}_)|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Text as the content of an OOXML <t> element (ST_Xstring: control characters as _xHHHH_). */
export function xmlText(s: string): string {
	if (!NEEDS_ESCAPE.test(s)) return s;
	return s.replace(ESCAPE_ALL, (c) => {
		if (c === '&') return '&amp;';
		if (c === '<') return '&lt;';
		if (c === '>') return '&gt;';
		return `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`;
	});
}

const PRESERVE = /^\s|\s$|\n/;

/** A string cell (never a formula). */
export function strCell(ref: string, style: number, text: string): string {
	const s = style ? ` s="${style}"` : '';
	if (text === '') return style ? `<c r="${ref}"${s}/>` : '';
	const t = xmlText(text);
	return `<c r="${ref}"${s} t="inlineStr"><is>${PRESERVE.test(text) ? `<t xml:space="preserve">${t}</t>` : `<t>${t}</t>`}</is></c>`;
}

/** Integer fen as the exact decimal yuan text Excel parses ('-1234.05'). */
export function fenNumber(fen: number): string {
	if (!Number.isSafeInteger(fen)) throw new TypeError(`money must be integer fen, got ${fen}`);
	const a = Math.abs(fen);
	const c = a % 100;
	return `${fen < 0 ? '-' : ''}${Math.floor(a / 100)}${c ? (c < 10 ? `.0${c}` : c % 10 ? `.${c}` : `.${c / 10}`) : ''}`;
}

export function numCell(ref: string, style: number, value: string | number): string {
	return `<c r="${ref}"${style ? ` s="${style}"` : ''}><v>${value}</v></c>`;
}

export function formulaCell(ref: string, style: number, formula: string, cached: string | number): string {
	return `<c r="${ref}"${style ? ` s="${style}"` : ''}><f>${xmlText(formula)}</f><v>${cached}</v></c>`;
}

export function rowXml(r: number, cells: string, style?: number): string {
	return `<row r="${r}"${style ? ` s="${style}" customFormat="1"` : ''}>${cells}</row>`;
}

export interface TemplateSheet {
	/** entry name in the zip, e.g. xl/worksheets/sheet1.xml */
	entry: string;
	/** XML up to and including <sheetData>, without the <dimension> (rows are not known yet) */
	head: string;
	/** the template's own rows, by row number (title and header rows are kept as they are) */
	rows: Map<number, string>;
	/** XML from </sheetData> on; its <autoFilter ref> is set per file */
	tail: string;
}

export class XlsxTemplate {
	private constructor(
		readonly sheets: TemplateSheet[],
		private readonly fixed: ZipEntry[],
		private readonly order: string[]
	) {}

	/** Takes the workbook's bytes apart once; `date` is the workbook date stamped into docProps/core.xml. */
	static async fromWorkbook(wb: ExcelJS.Workbook, opts: { date?: Date } = {}): Promise<XlsxTemplate> {
		wb.created = wb.modified = opts.date ?? FIXED_WORKBOOK_DATE;
		wb.lastModifiedBy = wb.creator = 'visual-service-ops';
		const files = unzipSync(new Uint8Array((await wb.xlsx.writeBuffer()) as ArrayBuffer));
		const order = Object.keys(files).filter((n) => !n.endsWith('/'));
		const sheets: TemplateSheet[] = [];
		const fixed: ZipEntry[] = [];
		const sheetEntries = order.filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n)).sort((a, b) => sheetNo(a) - sheetNo(b));
		for (const name of order) {
			if (!sheetEntries.includes(name)) fixed.push(deflateEntry(name, files[name]));
		}
		for (const name of sheetEntries) {
			const xml = strFromU8(files[name]);
			const open = xml.indexOf('<sheetData>');
			const close = xml.indexOf('</sheetData>');
			const selfClosed = xml.indexOf('<sheetData/>');
			let head: string, body: string, tail: string;
			if (open >= 0 && close > open) {
				head = xml.slice(0, open + '<sheetData>'.length);
				body = xml.slice(open + '<sheetData>'.length, close);
				tail = xml.slice(close);
			} else if (selfClosed >= 0) {
				head = xml.slice(0, selfClosed) + '<sheetData>';
				body = '';
				tail = '</sheetData>' + xml.slice(selfClosed + '<sheetData/>'.length);
			} else throw new Error(`template ${name}: no sheetData`);
			const rows = new Map<number, string>();
			for (const m of body.matchAll(/<row r="(\d+)"[^>]*?(?:\/>|>.*?<\/row>)/g)) rows.set(Number(m[1]), m[0]);
			sheets.push({ entry: name, head: head.replace(/<dimension ref="[^"]*"\/>/, ''), rows, tail });
		}
		return new XlsxTemplate(sheets, fixed, order);
	}

	/** The style index of template cell `ref` (e.g. 'B7') on sheet `sheet` (0-based); 0 when unstyled. */
	style(sheet: number, ref: string): number {
		const rowNo = Number(/\d+$/.exec(ref)?.[0]);
		const row = this.sheets[sheet].rows.get(rowNo) ?? '';
		const m = new RegExp(`<c r="${ref}"(?: s="(\\d+)")?`).exec(row);
		if (!m) throw new Error(`template sheet ${sheet}: no cell ${ref}`);
		return Number(m[1] ?? 0);
	}

	/** Template rows `from`..`to` as they are (title and header rows). */
	keptRows(sheet: number, from: number, to: number): string {
		let s = '';
		for (let r = from; r <= to; r++) s += this.sheets[sheet].rows.get(r) ?? '';
		return s;
	}

	tail(sheet: number, autoFilter?: string): string {
		const t = this.sheets[sheet].tail;
		return autoFilter ? t.replace(/<autoFilter ref="[^"]*"/, `<autoFilter ref="${autoFilter}"`) : t;
	}

	/** A sheet entry written piece by piece (head first; the caller pushes rows, then tail). */
	sheetStream(sheet: number): StreamedEntry {
		const e = new StreamedEntry(this.sheets[sheet].entry);
		e.push(this.sheets[sheet].head);
		return e;
	}

	/** The workbook's bytes: every sheet must be given, as finished XML or as a finished stream. */
	build(sheets: (string | ZipEntry)[]): Buffer {
		if (sheets.length !== this.sheets.length) throw new Error(`template has ${this.sheets.length} sheets, got ${sheets.length}`);
		const byName = new Map<string, ZipEntry>(this.fixed.map((e) => [e.name, e]));
		this.sheets.forEach((s, i) => {
			const x = sheets[i];
			byName.set(s.entry, typeof x === 'string' ? deflateEntry(s.entry, x) : x);
		});
		return zipEntries(this.order.map((n) => byName.get(n)!));
	}

	/** One small sheet's complete XML from its rows. */
	sheetXml(sheet: number, rows: string, autoFilter?: string): string {
		return this.sheets[sheet].head + rows + this.tail(sheet, autoFilter);
	}
}

function sheetNo(name: string): number {
	return Number(/sheet(\d+)\.xml$/.exec(name)?.[1] ?? 0);
}
