/**
 * Writes a month's files into a folder (the caller's temporary folder) from ledger rows, and
 * returns their SHA-256 hashes. Same rows → same bytes: fixed workbook and zip dates, sorted rows,
 * no clock anywhere.
 */
import fs from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { formatYuan } from '../../money.ts';
import { toCsv, type CsvColumn } from '../export/csv.ts';
import { CNY_FORMAT, streamTablesBytes, workbookBytes, type TableColumn } from '../export/xlsx.ts';
import { addMonths } from './months.ts';
import type { BillRow, LineRow, MonthData, Progress } from './types.ts';


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

/** The VAT template's text cells: money as '283.02'. */
const t = (v: string | null | undefined) => v ?? '';
const BASIC_HEADERS = ['发票流水号', '发票类型', '是否含税', '购买方名称', '购买方纳税人识别号', '购买方地址', '购买方电话', '购买方开户银行', '购买方银行账号', '备注'];
const DETAIL_HEADERS = ['发票流水号', '项目名称', '商品和服务税收编码', '规格型号', '单位', '数量', '单价', '金额', '税率', '折扣金额', '税额'];
const RED_HEADERS = ['发票流水号', '原发票流水号', '原发票号码', '原发票所属月份', '红字原因', '购买方名称', '购买方纳税人识别号', '项目名称', '商品和服务税收编码', '金额', '税率', '税额', '价税合计'];

function itemName(inv: { tax_code: string; item_name: string }, shortName: string) {
	return `*${shortName}*${inv.item_name}`;
}

async function vatWorkbook(d: MonthData, shortName: string, date: Date, preview: boolean): Promise<Buffer> {
	const wb = new ExcelJS.Workbook();
	const sheet = (name: string, title: string, headers: string[], rows: string[][]) => {
		const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 3, xSplit: 0 }] });
		ws.addRow([preview ? `${title}（预览，未开具 PREVIEW）` : title]);
		ws.addRow([`所属期 ${d.info.month}；税率 ${d.invoices[0]?.tax_rate ?? ''}；金额单位：元；所有单元格为文本`]);
		const h = ws.addRow(headers);
		h.font = { bold: true };
		for (const r of rows) ws.addRow(r);
		ws.columns.forEach((c) => (c.width = 20));
		// Every cell is text, as the template requires.
		ws.eachRow((row, n) => {
			if (n >= 3) row.eachCell((cell) => (cell.numFmt = '@'));
		});
	};
	const blue = d.invoices.filter((i) => i.kind === 'blue');
	const red = d.invoices.filter((i) => i.kind === 'red');
	sheet('1-发票基本信息', '发票基本信息', BASIC_HEADERS, blue.map((i) => [i.serial, '数电票（增值税专用发票）', '否', i.buyer_name, i.buyer_tax_id, t(i.buyer_address), t(i.buyer_phone), t(i.buyer_bank), t(i.buyer_account), `视觉服务 ${i.month}`]));
	sheet('2-发票明细信息', '发票明细信息', DETAIL_HEADERS, blue.map((i) => [i.serial, itemName(i, shortName), i.tax_code, '', '项', '1', formatYuan(i.amount_excl_tax), formatYuan(i.amount_excl_tax), i.tax_rate, '', formatYuan(i.tax)]));
	sheet('3-红字发票信息', '红字发票信息', RED_HEADERS, red.map((i) => [i.serial, t(i.original_serial), t(i.original_invoice_number), t(i.original_month), '服务中止', i.buyer_name, i.buyer_tax_id, itemName(i, shortName), i.tax_code, formatYuan(i.amount_excl_tax), i.tax_rate, formatYuan(i.tax), formatYuan(i.total)]));
	return workbookBytes(wb, { date });
}

const SELLER_SUMMARY: [keyof BillRow, string][] = [
	['order_count', '订单数 Orders'],
	['image_count', '图片数 Images'],
	['image_fees', '图片制作费 Image fees'],
	['language_fees', '多语言费 Language fees'],
	['incentives', '效果激励金 Performance incentives'],
	['refunds', '退款 Refunds'],
	['net_service_amount', '服务净额（开票金额）Net service amount (invoiced)'],
	['amount_excl_tax', '不含税金额 Amount excl. VAT'],
	['vat', '增值税 6% VAT'],
	['credits', '补偿额度 Credits'],
	['compensation', '下架赔付 Delisting compensation'],
	['carried_balance', '上月结转 Carried balance'],
	['amount_due', '应付金额 Amount due']
];

/** One seller's bill, Chinese and English, one sheet: small plain workbook (cost is per seller). */
async function sellerWorkbook(b: BillRow, lines: LineRow[], date: Date, preview: boolean): Promise<Buffer> {
	const wb = new ExcelJS.Workbook();
	const ws = wb.addWorksheet('账单 Bill');
	ws.columns = [{ width: 34 }, { width: 18 }, { width: 16 }, { width: 14 }, { width: 44 }, { width: 10 }, { width: 14 }, { width: 14 }, { width: 12 }];
	ws.addRow([preview ? '视觉服务月度账单 Visual service monthly bill（预览 PREVIEW）' : '视觉服务月度账单 Visual service monthly bill']).font = { bold: true, size: 14 };
	ws.addRow(['账期 Billing month', b.month]);
	ws.addRow(['商家 Seller', b.seller_id, b.seller_name]);
	ws.addRow(['统一社会信用代码 USCC', b.uscc]);
	ws.addRow(['到期日 Due date', b.due_date]);
	ws.addRow([]);
	for (const [key, label] of SELLER_SUMMARY) {
		const money = key !== 'order_count' && key !== 'image_count';
		const r = ws.addRow([label, money ? (b[key] as number) / 100 : b[key]]);
		if (money) r.getCell(2).numFmt = CNY_FORMAT;
		if (key === 'amount_due') r.font = { bold: true };
	}
	ws.addRow([]);
	ws.addRow(['类型 Type', '订单 Order', 'SKU', '品类 Category', '说明 Description', '数量 Qty', '单价 Unit price', '金额 Amount', '所属月份 Month']).font = { bold: true };
	for (const l of lines) {
		const r = ws.addRow([l.line_type, l.order_id ?? '', l.sku_id ?? '', l.category ?? '', l.description, l.quantity, l.unit_price / 100, l.amount / 100, l.month_of_origin]);
		r.getCell(7).numFmt = CNY_FORMAT;
		r.getCell(8).numFmt = CNY_FORMAT;
	}
	return workbookBytes(wb, { date });
}

export interface RenderedFiles {
	/** file name (relative to the month folder) → sha256; sellers/ folded into one digest. */
	files: Record<string, string>;
	sellerFiles: number;
}

export const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

/** The workbook date stamped into every file of month M: the first instant of M+1, Shanghai. */
export function workbookDateFor(month: string): Date {
	return new Date(`${addMonths(month, 1)}-01T00:00:00+08:00`);
}

export async function renderMonth(
	d: MonthData,
	dir: string,
	opts: { shortName: string; preview: boolean; onProgress?: (p: Progress) => void }
): Promise<RenderedFiles> {
	const month = d.info.month;
	const date = workbookDateFor(month);
	const files: Record<string, string> = {};
	const write = (name: string, bytes: Buffer | string) => {
		fs.writeFileSync(path.join(dir, name), bytes);
		files[name] = sha256(bytes);
	};
	const progress = (step: Progress['step'], done: number, total: number, message?: string) => opts.onProgress?.({ month, step, done, total, message });
	progress('render', 0, 6, 'CSV files');
	write('bills-summary.csv', toCsv(SUMMARY_COLUMNS, d.bills.map(summaryRow)));
	write('bill-lines.csv', toCsv(LINE_COLUMNS, d.lines.map(lineRow)));
	const invCsv = d.invoices.map((i) => [
		i.serial, i.kind, i.month, i.seller_id, i.buyer_name, i.buyer_tax_id, `*${opts.shortName}*${i.item_name}`, i.tax_code, '项', 1,
		i.amount_excl_tax, i.amount_excl_tax, i.tax_rate, i.tax, i.total, i.original_serial, i.original_month, i.original_invoice_number,
		i.kind === 'red' ? '服务中止' : ''
	]);
	write('vat-invoices.csv', toCsv(INVOICE_CSV_COLUMNS, invCsv));
	progress('render', 3, 6, 'bills.xlsx');
	const title = opts.preview ? [`预览，未开具 PREVIEW — not issued: ${month}`] : undefined;
	write(
		'bills.xlsx',
		await streamTablesBytes(
			[
				{ sheet: '汇总 Summary', columns: tableColumns(SUMMARY_COLUMNS), rows: d.bills.map(summaryRow), totals: true, title },
				{ sheet: '明细 Lines', columns: tableColumns(LINE_COLUMNS), rows: d.lines.map(lineRow), totals: true, title }
			],
			{ date }
		)
	);
	progress('render', 4, 6, 'vat-invoices.xlsx');
	write('vat-invoices.xlsx', await vatWorkbook(d, opts.shortName, date, opts.preview));

	fs.mkdirSync(path.join(dir, 'sellers'), { recursive: true });
	const sellerHashes: [string, string][] = [];
	let li = 0;
	for (let i = 0; i < d.bills.length; i++) {
		const b = d.bills[i];
		while (li < d.lines.length && d.lines[li].seller_id < b.seller_id) li++;
		const start = li;
		while (li < d.lines.length && d.lines[li].seller_id === b.seller_id) li++;
		const bytes = await sellerWorkbook(b, d.lines.slice(start, li), date, opts.preview);
		const name = `${safeFileName(b.seller_id)}.xlsx`;
		fs.writeFileSync(path.join(dir, 'sellers', name), bytes);
		sellerHashes.push([name, sha256(bytes)]);
		if (i % 200 === 0 || i === d.bills.length - 1) progress('sellers', i + 1, d.bills.length);
	}
	// Same digest as publish.ts hashPublished: file names in sorted order.
	sellerHashes.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
	files['sellers/'] = sha256(sellerHashes.map(([n, h]) => `${n}\t${h}\n`).join(''));
	return { files, sellerFiles: d.bills.length };
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
