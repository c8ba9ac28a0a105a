/**
 * vat-invoices.xlsx in the tax bureau's batch template form: `1-发票基本信息`, `2-发票明细信息` and
 * the red-letter sheet; title and note on rows 1–2, headers on row 3, data from row 4, every cell
 * text. Layout from an ExcelJS template, rows written as XML (one row per invoice, ~85,000 at
 * full scale).
 */
import ExcelJS from 'exceljs';
import { formatYuan } from '../../money.ts';
import { colLetter, rowXml, strCell, XlsxTemplate } from '../export/xlsx-template.ts';
import type { InvoiceRow, MonthData } from './types.ts';

const BASIC_HEADERS = ['发票流水号', '发票类型', '是否含税', '购买方名称', '购买方纳税人识别号', '购买方地址', '购买方电话', '购买方开户银行', '购买方银行账号', '备注'];
const DETAIL_HEADERS = ['发票流水号', '项目名称', '商品和服务税收编码', '规格型号', '单位', '数量', '单价', '金额', '税率', '折扣金额', '税额'];
const RED_HEADERS = ['发票流水号', '原发票流水号', '原发票号码', '原发票所属月份', '红字原因', '购买方名称', '购买方纳税人识别号', '项目名称', '商品和服务税收编码', '金额', '税率', '税额', '价税合计'];

const t = (v: string | null | undefined) => v ?? '';
const itemName = (inv: InvoiceRow, shortName: string) => `*${shortName}*${inv.item_name}`;

export async function vatWorkbook(d: MonthData, shortName: string, date: Date, preview: boolean): Promise<Buffer> {
	const wb = new ExcelJS.Workbook();
	const sheets: [string, string, string[]][] = [
		['1-发票基本信息', '发票基本信息', BASIC_HEADERS],
		['2-发票明细信息', '发票明细信息', DETAIL_HEADERS],
		['3-红字发票信息', '红字发票信息', RED_HEADERS]
	];
	for (const [name, title, headers] of sheets) {
		const ws = wb.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 3, xSplit: 0 }] });
		ws.addRow([preview ? `${title}（预览，未开具 PREVIEW）` : title]);
		ws.addRow([`所属期 ${d.info.month}；税率 ${d.invoices[0]?.tax_rate ?? ''}；金额单位：元；所有单元格为文本`]);
		const h = ws.addRow(headers);
		h.font = { bold: true };
		// Probe row 4: the style of the data cells (every cell is text, as the template requires).
		ws.addRow(headers.map(() => 0));
		ws.columns.forEach((c) => (c.width = 20));
		ws.eachRow((row, n) => {
			if (n >= 3) row.eachCell((cell) => (cell.numFmt = '@'));
		});
	}
	const tpl = await XlsxTemplate.fromWorkbook(wb, { date });
	const blue = d.invoices.filter((i) => i.kind === 'blue');
	const red = d.invoices.filter((i) => i.kind === 'red');
	// Rows are made as they are written: 85,000 invoices never exist as cell arrays all at once.
	const bodies: [InvoiceRow[], (i: InvoiceRow) => string[]][] = [
		[blue, (i) => [i.serial, '数电票（增值税专用发票）', '否', i.buyer_name, i.buyer_tax_id, t(i.buyer_address), t(i.buyer_phone), t(i.buyer_bank), t(i.buyer_account), `视觉服务 ${i.month}`]],
		[blue, (i) => [i.serial, itemName(i, shortName), i.tax_code, '', '项', '1', formatYuan(i.amount_excl_tax), formatYuan(i.amount_excl_tax), i.tax_rate, '', formatYuan(i.tax)]],
		[red, (i) => [i.serial, t(i.original_serial), t(i.original_invoice_number), t(i.original_month), '服务中止', i.buyer_name, i.buyer_tax_id, itemName(i, shortName), i.tax_code, formatYuan(i.amount_excl_tax), i.tax_rate, formatYuan(i.tax), formatYuan(i.total)]]
	];
	// Streamed into the zip entry a batch at a time: the sheet's text is never whole in memory.
	const entries = bodies.map(([rows, cells], s) => {
		const letters = sheets[s][2].map((_, j) => colLetter(j + 1));
		const styles = letters.map((l) => tpl.style(s, `${l}4`));
		const entry = tpl.sheetStream(s);
		entry.push(tpl.keptRows(s, 1, 3));
		let batch = '';
		rows.forEach((inv, k) => {
			const r = k + 4;
			batch += rowXml(r, cells(inv).map((v, j) => strCell(letters[j] + r, styles[j], v)).join(''));
			if (batch.length > 1 << 16) {
				entry.push(batch);
				batch = '';
			}
		});
		entry.push(batch + tpl.tail(s));
		return entry.end();
	});
	return tpl.build(entries);
}
