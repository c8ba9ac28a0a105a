/**
 * Writes a month's files into a folder (the caller's temporary folder) from ledger rows, and
 * returns their SHA-256 hashes. Same rows → same bytes: fixed workbook and zip dates, sorted rows,
 * no clock anywhere. The lines are streamed in (seller, line) order twice: into bill-lines.csv and
 * the finance workbook's lines sheet, then into the seller workbooks; each time their sums per
 * seller are checked against the ledger's before the caller publishes anything.
 */
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { toCsv, type CsvColumn } from '../export/csv.ts';
import type { TableColumn } from '../export/xlsx.ts';
import { TableXlsxWriter } from '../export/xlsx-table-stream.ts';
import { collectGarbage } from './memory.ts';
import { addMonths } from './months.ts';
import { checkWrittenLines, ReconciliationError } from './reconcile.ts';
import { defaultWorkerCount, SellerPool } from './seller-pool.ts';
import { vatWorkbook } from './vat-workbook.ts';
import type { BillRow, LineRow, LineSource, LineSums, MonthData, Progress } from './types.ts';


export const SUMMARY_COLUMNS: CsvColumn[] = [
	{ name: 'seller_id', kind: 'text' },
	{ name: 'seller_name', kind: 'text' },
	{ name: 'order_count', kind: 'number' },
	{ name: 'image_count', kind: 'number' },
	{ name: 'image_fees', kind: 'money' },
	{ name: 'language_fees', kind: 'money' },
	{ name: 'incentives', kind: 'money' },
	{ name: 'refunds', kind: 'money' },
	{ name: 'net_service_amount', kind: 'money' },
	{ name: 'amount_excl_tax', kind: 'money' },
	{ name: 'vat', kind: 'money' },
	{ name: 'credits', kind: 'money' },
	{ name: 'compensation', kind: 'money' },
	{ name: 'carried_balance', kind: 'money' },
	{ name: 'amount_due', kind: 'money' },
	{ name: 'due_date', kind: 'text' }
];
export const LINE_COLUMNS: CsvColumn[] = [
	{ name: 'seller_id', kind: 'text' },
	{ name: 'line_type', kind: 'text' },
	{ name: 'order_id', kind: 'text' },
	{ name: 'sku_id', kind: 'text' },
	{ name: 'category', kind: 'text' },
	{ name: 'description', kind: 'text' },
	{ name: 'quantity', kind: 'number' },
	{ name: 'unit_price', kind: 'money' },
	{ name: 'amount', kind: 'money' },
	{ name: 'month_of_origin', kind: 'text' }
];
export const INVOICE_CSV_COLUMNS: CsvColumn[] = [
	{ name: 'invoice_serial', kind: 'text' },
	{ name: 'kind', kind: 'text' },
	{ name: 'month', kind: 'text' },
	{ name: 'seller_id', kind: 'text' },
	{ name: 'buyer_name', kind: 'text' },
	{ name: 'buyer_tax_id', kind: 'text' },
	{ name: 'item_name', kind: 'text' },
	{ name: 'tax_classification_code', kind: 'text' },
	{ name: 'unit', kind: 'text' },
	{ name: 'quantity', kind: 'number' },
	{ name: 'unit_price', kind: 'money' },
	{ name: 'amount_excl_tax', kind: 'money' },
	{ name: 'tax_rate', kind: 'text' },
	{ name: 'tax', kind: 'money' },
	{ name: 'total', kind: 'money' },
	{ name: 'original_serial', kind: 'text' },
	{ name: 'original_month', kind: 'text' },
	{ name: 'original_invoice_number', kind: 'text' },
	{ name: 'reason', kind: 'text' }
];

const HEADERS_ZH: Record<string, string> = {
	seller_id: '商家编号 seller_id',
	seller_name: '商家名称 seller_name',
	order_count: '订单数 order_count',
	image_count: '图片数 image_count',
	image_fees: '图片制作费 image_fees',
	language_fees: '多语言费 language_fees',
	incentives: '效果激励金 incentives',
	refunds: '退款 refunds',
	net_service_amount: '服务净额 net_service_amount',
	amount_excl_tax: '不含税金额 amount_excl_tax',
	vat: '税额 vat',
	credits: '补偿额度 credits',
	compensation: '下架赔付 compensation',
	carried_balance: '上月结转 carried_balance',
	amount_due: '应付金额 amount_due',
	due_date: '到期日 due_date',
	line_type: '类型 line_type',
	order_id: '订单 order_id',
	sku_id: 'SKU sku_id',
	category: '品类 category',
	description: '说明 description',
	quantity: '数量 quantity',
	unit_price: '单价 unit_price',
	amount: '金额 amount',
	month_of_origin: '所属月份 month_of_origin'
};

function tableColumns(cols: CsvColumn[]): TableColumn[] {
	return cols.map((c) => ({ name: c.name, header: HEADERS_ZH[c.name] ?? c.name, kind: c.kind, width: c.kind === 'money' ? 16 : c.name === 'description' ? 44 : 18 }));
}

export const summaryRow = (b: BillRow): unknown[] => SUMMARY_COLUMNS.map((c) => (b as unknown as Record<string, unknown>)[c.name]);
export const lineRow = (l: LineRow): unknown[] => LINE_COLUMNS.map((c) => (l as unknown as Record<string, unknown>)[c.name]);

export interface RenderedFiles {
	/** file name (relative to the month folder) → sha256; sellers/ folded into one digest. */
	files: Record<string, string>;
	sellerFiles: number;
	/** seconds per part: what the benchmark reports */
	timings: Record<string, number>;
}

export const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** The workbook date stamped into every file of month M: the first instant of M+1, Shanghai. */
export function workbookDateFor(month: string): Date {
	return new Date(`${addMonths(month, 1)}-01T00:00:00+08:00`);
}

/** A file written in pieces, hashed as it goes. */
class StreamedFile {
	private fd: number;
	private hash = createHash('sha256');
	constructor(file: string) {
		this.fd = fs.openSync(file, 'w');
	}
	write(s: string) {
		if (!s) return;
		const b = Buffer.from(s, 'utf8');
		this.hash.update(b);
		fs.writeSync(this.fd, b);
	}
	close(): string {
		fs.closeSync(this.fd);
		return this.hash.digest('hex');
	}
}

export interface RenderOptions {
	shortName: string;
	preview: boolean;
	onProgress?: (p: Progress) => void;
	/** seller workbook threads (default: seller-pool.ts defaultWorkerCount) */
	workers?: number;
}

/**
 * All of a month's files, in two phases: first the main files (summary, lines, finance workbook,
 * VAT export), then the seller workbooks, each phase streaming the lines once. The main files are
 * what finance waits for: they come out as fast as one thread writes them, without the workbook
 * threads taking the cores and memory meanwhile. `timings.main_files` / `timings.seller_workbooks`
 * are the two phases' seconds; progress says `render: sellers/` when the second starts.
 */
export async function renderMonth(d: MonthData, lines: LineSource, dir: string, opts: RenderOptions): Promise<RenderedFiles> {
	const files: Record<string, string> = {};
	const timings: Record<string, number> = {};
	let t0 = performance.now();
	collectGarbage(); // what computing the month left behind (see memory.ts)
	await renderMainFiles(d, lines, dir, opts, files, timings);
	timings.main_files = (performance.now() - t0) / 1000;
	t0 = performance.now();
	collectGarbage();
	opts.onProgress?.({ month: d.info.month, step: 'render', done: 5, total: 6, message: 'sellers/' });
	files['sellers/'] = await renderSellerWorkbooks(d, lines, dir, opts, timings);
	timings.seller_workbooks = (performance.now() - t0) / 1000;
	return { files: sortKeys(files), sellerFiles: d.bills.length, timings };
}

/** bills-summary.csv, vat-invoices.csv/.xlsx, bill-lines.csv and bills.xlsx (the lines streamed once). */
async function renderMainFiles(d: MonthData, lines: LineSource, dir: string, opts: RenderOptions, files: Record<string, string>, timings: Record<string, number>) {
	const month = d.info.month;
	const date = workbookDateFor(month);
	const write = (name: string, bytes: Buffer | string) => {
		fs.writeFileSync(path.join(dir, name), bytes);
		files[name] = sha256(bytes);
	};
	let clock = performance.now();
	const lap = (name: string) => {
		const now = performance.now();
		timings[name] = (timings[name] ?? 0) + (now - clock) / 1000;
		clock = now;
	};
	const progress = (done: number, message: string) => opts.onProgress?.({ month, step: 'render', done, total: 6, message });
	progress(0, 'CSV files');
	write('bills-summary.csv', toCsv(SUMMARY_COLUMNS, d.bills.map(summaryRow)));
	const invCsv = d.invoices.map((i) => [
		i.serial, i.kind, i.month, i.seller_id, i.buyer_name, i.buyer_tax_id, `*${opts.shortName}*${i.item_name}`, i.tax_code, '项', 1,
		i.amount_excl_tax, i.amount_excl_tax, i.tax_rate, i.tax, i.total, i.original_serial, i.original_month, i.original_invoice_number,
		i.kind === 'red' ? '服务中止' : ''
	]);
	write('vat-invoices.csv', toCsv(INVOICE_CSV_COLUMNS, invCsv));
	lap('csv');
	progress(1, 'vat-invoices.xlsx');
	write('vat-invoices.xlsx', await vatWorkbook(d, opts.shortName, date, opts.preview));
	lap('vat');
	collectGarbage();

	progress(2, 'bill-lines.csv, bills.xlsx');
	const title = opts.preview ? [`预览，未开具 PREVIEW — not issued: ${month}`] : undefined;
	const book = await TableXlsxWriter.create(
		[
			{ sheet: '汇总 Summary', columns: tableColumns(SUMMARY_COLUMNS), totals: true, title },
			{ sheet: '明细 Lines', columns: tableColumns(LINE_COLUMNS), totals: true, title }
		],
		{ date }
	);
	let linesCsv: StreamedFile | undefined;
	try {
		await book.add(0, d.bills.map(summaryRow));
		collectGarbage();
		lap('finance');
		linesCsv = new StreamedFile(path.join(dir, 'bill-lines.csv'));
		await streamMainLines(d, lines, linesCsv, book, timings);
		files['bill-lines.csv'] = linesCsv.close();
		linesCsv = undefined;
		lap('lines');
		progress(4, 'bills.xlsx');
		write('bills.xlsx', await book.finish());
		lap('finance');
	} catch (e) {
		linesCsv?.close();
		book.close();
		throw e;
	}
}

/** The lines into bill-lines.csv and the finance workbook's lines sheet; their sums checked against the ledger's. */
async function streamMainLines(d: MonthData, lines: LineSource, linesCsv: StreamedFile, book: TableXlsxWriter, timings: Record<string, number>) {
	let csvStarted = false;
	const written: LineSums = new Map();
	let chunks = 0;
	await lines(async (rows) => {
		// Each chunk's rows and text outlive a young-generation collection or two and pile up in the old
		// generation; collected every ~20,000 lines, the heap stays a few hundred MB (see memory.ts).
		if (++chunks % 10 === 0) collectGarbage();
		const t0 = performance.now();
		const cells = rows.map(lineRow);
		// Header (and BOM) with the first chunk: the file is byte for byte toCsv() of all the lines.
		linesCsv.write(toCsv(LINE_COLUMNS, cells, { bom: !csvStarted, header: !csvStarted }));
		csvStarted ||= rows.length > 0;
		const t1 = performance.now();
		await book.add(1, cells);
		const t2 = performance.now();
		timings.lines_csv = (timings.lines_csv ?? 0) + (t1 - t0) / 1000;
		timings.lines_xlsx = (timings.lines_xlsx ?? 0) + (t2 - t1) / 1000;
		addSums(written, rows);
	});
	if (!csvStarted) linesCsv.write(toCsv(LINE_COLUMNS, []));
	const mismatch = checkWrittenLines(d.info.month, d.lineSums, written);
	if (mismatch.length) throw new ReconciliationError(mismatch);
}

function addSums(acc: LineSums, rows: LineRow[]) {
	for (const l of rows) {
		const a = acc.get(l.seller_id) ?? {};
		a[l.amount_type] = (a[l.amount_type] ?? 0) + l.amount;
		acc.set(l.seller_id, a);
	}
}

/**
 * sellers/SELLER_ID.xlsx for every bill, over worker threads (from 2,000 bills on: below that their
 * start-up costs more than they save). Returns the folder's digest (publish.ts hashPublished's form).
 */
async function renderSellerWorkbooks(d: MonthData, lines: LineSource, dir: string, opts: RenderOptions, timings: Record<string, number>): Promise<string> {
	const month = d.info.month;
	fs.mkdirSync(path.join(dir, 'sellers'), { recursive: true });
	const pool = await SellerPool.create(dir, workbookDateFor(month), opts.preview, opts.workers ?? (d.bills.length >= 2000 ? defaultWorkerCount() : 0));
	timings.seller_threads = pool.threads;
	const written: LineSums = new Map();
	let bi = 0;
	let group: LineRow[] = [];
	const writeSeller = async (b: BillRow, ls: LineRow[]) => {
		await pool.add(b, ls, path.join('sellers', `${safeFileName(b.seller_id)}.xlsx`));
		if (bi % 500 === 0 || bi === d.bills.length - 1) opts.onProgress?.({ month, step: 'sellers', done: bi + 1, total: d.bills.length });
	};
	// Bills and lines come in the same seller_id order (both sorted by DuckDB): bills without lines come out on the way.
	const flushGroup = async () => {
		if (!group.length) return;
		const seller = group[0].seller_id;
		while (bi < d.bills.length && d.bills[bi].seller_id !== seller) await writeSeller(d.bills[bi++], []);
		if (bi === d.bills.length) throw new ReconciliationError([`${month} seller ${seller}: has lines but no bill (or lines out of order)`]);
		await writeSeller(d.bills[bi++], group);
		group = [];
	};
	let sellerHashes: [string, string][];
	try {
		let chunks = 0;
		await lines(async (rows) => {
			if (++chunks % 10 === 0) collectGarbage(); // as in streamMainLines
			addSums(written, rows);
			for (const l of rows) {
				if (group.length && group[0].seller_id !== l.seller_id) await flushGroup();
				group.push(l);
			}
		});
		await flushGroup();
		while (bi < d.bills.length) await writeSeller(d.bills[bi++], []);
		sellerHashes = await pool.finish();
	} finally {
		await pool.close();
	}
	const mismatch = checkWrittenLines(month, d.lineSums, written);
	if (mismatch.length) throw new ReconciliationError(mismatch);
	// Same digest as publish.ts hashPublished: file names in sorted order.
	sellerHashes.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
	return sha256(sellerHashes.map(([n, h]) => `${n}\t${h}\n`).join(''));
}

function sortKeys(o: Record<string, string>): Record<string, string> {
	// Hashes are recorded and compared as JSON: one key order whatever the order of writing.
	const order = ['bills-summary.csv', 'bill-lines.csv', 'vat-invoices.csv', 'bills.xlsx', 'vat-invoices.xlsx', 'sellers/'];
	return Object.fromEntries(order.filter((k) => k in o).map((k) => [k, o[k]]));
}

/** seller ids are contract ids (≤ 64 chars) but may hold characters a file system refuses. */
export function safeFileName(id: string): string {
	return id.replace(/[^A-Za-z0-9._-]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** run.json: what ran, with the hashes of every other file. */
export function runJson(d: MonthData, rendered: RenderedFiles, preview: boolean): string {
	const info = { ...d.info, preview, files: rendered.files, seller_files: rendered.sellerFiles };
	return JSON.stringify(info, null, 2) + '\n';
}
