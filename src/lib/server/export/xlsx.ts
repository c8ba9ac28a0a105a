/**
 * Spreadsheet output with identical bytes for identical content. ExcelJS stamps the workbook's
 * created/modified time into docProps/core.xml and the current time into every zip entry; both are
 * fixed here: the workbook dates are set, and the zip is rewritten with fflate with one fixed entry
 * date. Used for bills and for every "download this table" on the dashboards.
 */
import ExcelJS from 'exceljs';
import { PassThrough } from 'node:stream';
import { unzipSync, zipSync, type Zippable } from 'fflate';

/** Date stamped into workbooks unless the caller gives one (the content decides the bytes, not the clock). */
export const FIXED_WORKBOOK_DATE = new Date('2000-01-01T00:00:00Z');
/** Zip entry date. fflate reads it with local-time getters, so it is built from local parts: same bytes in every time zone. */
const ZIP_ENTRY_DATE = new Date(2000, 0, 1, 0, 0, 0);

export const CNY_FORMAT = '"¥"#,##0.00;-"¥"#,##0.00';

/** Rewrites an xlsx (zip) with fixed entry dates and fixed compression; entry order is kept. */
export function normalizeZip(bytes: Uint8Array): Buffer {
	const entries = unzipSync(bytes);
	const out: Zippable = {};
	for (const [name, data] of Object.entries(entries)) out[name] = [data, { mtime: ZIP_ENTRY_DATE, level: 6 }];
	return Buffer.from(zipSync(out));
}

export async function workbookBytes(wb: ExcelJS.Workbook, opts: { date?: Date } = {}): Promise<Buffer> {
	wb.created = wb.modified = opts.date ?? FIXED_WORKBOOK_DATE;
	wb.lastModifiedBy = wb.creator = 'visual-service-ops';
	const buf = await wb.xlsx.writeBuffer();
	return normalizeZip(new Uint8Array(buf as ArrayBuffer));
}

export type CellKind = 'text' | 'number' | 'money';
export interface TableColumn {
	name: string;
	header: string;
	kind: CellKind;
	width?: number;
}
export interface TableSheet {
	sheet: string;
	columns: TableColumn[];
	/** Money cells are integer fen; text cells any value (written as text, never as a formula). */
	rows: Iterable<unknown[]>;
	/** A totals row under the data: a real SUM formula (with its exact result cached) for number and money columns. */
	totals?: boolean;
	/** Lines above the header (a title); the header then sits below them. */
	title?: string[];
}

function cellValue(kind: CellKind, v: unknown): ExcelJS.CellValue {
	if (v === null || v === undefined) return null;
	if (kind === 'money') return (v as number) / 100;
	if (kind === 'number') return v as number;
	// A plain string cell is never evaluated as a formula, whatever it starts with.
	return String(v);
}

function colLetter(n: number): string {
	let s = '';
	for (let x = n; x > 0; x = Math.floor((x - 1) / 26)) s = String.fromCharCode(65 + ((x - 1) % 26)) + s;
	return s;
}

/** Frozen header: the streaming writer writes views when the sheet is created, so they go in here. */
function sheetOptions(t: TableSheet): Partial<ExcelJS.AddWorksheetOptions> {
	return { views: [{ state: 'frozen', ySplit: (t.title?.length ?? 0) + 1, xSplit: 0 }] };
}

interface SheetLike {
	addRow(values: ExcelJS.CellValue[]): ExcelJS.Row;
	columns: Partial<ExcelJS.Column>[];
	autoFilter?: ExcelJS.AutoFilter | string;
}

/** Writes one table into a sheet (plain or streaming); returns nothing, rows are committed by the caller. */
function fillSheet(ws: SheetLike, t: TableSheet, commit: (r: ExcelJS.Row) => void) {
	ws.columns = t.columns.map((c) => ({
		key: c.name,
		width: c.width ?? Math.max(10, Math.min(40, c.header.length * 2 + 2)),
		style: c.kind === 'money' ? { numFmt: CNY_FORMAT } : {}
	}));
	const titleRows = t.title ?? [];
	for (const line of titleRows) commit(ws.addRow([line]));
	const headerRowNo = titleRows.length + 1;
	const header = ws.addRow(t.columns.map((c) => c.header));
	header.font = { bold: true };
	commit(header);
	const sums = t.columns.map(() => 0);
	let n = 0;
	for (const r of t.rows) {
		const row = ws.addRow(t.columns.map((c, i) => cellValue(c.kind, r[i])));
		t.columns.forEach((c, i) => {
			if (c.kind !== 'text' && typeof r[i] === 'number') sums[i] += r[i] as number;
			// Per cell: the streaming writer does not carry column styles onto its cells.
			if (c.kind === 'money') row.getCell(i + 1).numFmt = CNY_FORMAT;
		});
		commit(row);
		n++;
	}
	const last = headerRowNo + n;
	ws.autoFilter = { from: { row: headerRowNo, column: 1 }, to: { row: last, column: t.columns.length } };
	if (t.totals) {
		const values: ExcelJS.CellValue[] = t.columns.map((c, i) => {
			if (i === 0) return 'Total 合计';
			if (c.kind === 'text') return null;
			const L = colLetter(i + 1);
			const result = c.kind === 'money' ? sums[i] / 100 : sums[i];
			return { formula: n ? `SUM(${L}${headerRowNo + 1}:${L}${last})` : '0', result } as ExcelJS.CellFormulaValue;
		});
		const row = ws.addRow(values);
		row.font = { bold: true };
		t.columns.forEach((c, i) => {
			if (c.kind === 'money') row.getCell(i + 1).numFmt = CNY_FORMAT;
		});
		commit(row);
	}
}

/** A plain in-memory workbook with one table per sheet, for small downloads. Pass to workbookBytes. */
export function tableWorkbook(...sheets: TableSheet[]): ExcelJS.Workbook {
	const wb = new ExcelJS.Workbook();
	for (const t of sheets) fillSheet(wb.addWorksheet(t.sheet, sheetOptions(t)) as unknown as SheetLike, t, () => undefined);
	return wb;
}

/** Big tables: ExcelJS's streaming writer (rows leave memory as they are written), then the same fixed-date zip. */
export async function streamTablesBytes(sheets: TableSheet[], opts: { date?: Date } = {}): Promise<Buffer> {
	const stream = new PassThrough();
	const chunks: Buffer[] = [];
	stream.on('data', (c: Buffer) => chunks.push(c));
	const done = new Promise<void>((res, rej) => {
		stream.on('end', () => res());
		stream.on('error', rej);
	});
	const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useStyles: true, useSharedStrings: false });
	wb.created = wb.modified = opts.date ?? FIXED_WORKBOOK_DATE;
	wb.creator = wb.lastModifiedBy = 'visual-service-ops';
	for (const t of sheets) {
		const ws = wb.addWorksheet(t.sheet, sheetOptions(t));
		fillSheet(ws as unknown as SheetLike, t, (r) => r.commit());
		ws.commit();
	}
	await wb.commit();
	await done;
	return normalizeZip(new Uint8Array(Buffer.concat(chunks)));
}
