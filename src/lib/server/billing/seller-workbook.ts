/**
 * One workbook per seller (sellers/SELLER_ID.xlsx), Chinese and English, one sheet: title, seller
 * details, the bill's figures, then its lines. The layout and styles come from a template built
 * once per run with ExcelJS; per seller only the sheet's rows are written as XML and zipped, which
 * is what makes ~85,000 of them a matter of seconds.
 */
import ExcelJS from 'exceljs';
import { CNY_FORMAT } from '../export/xlsx.ts';
import { fenNumber, numCell, rowXml, strCell, XlsxTemplate } from '../export/xlsx-template.ts';
import type { BillRow, LineRow } from './types.ts';

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
const LINE_HEADER = ['类型 Type', '订单 Order', 'SKU', '品类 Category', '说明 Description', '数量 Qty', '单价 Unit price', '金额 Amount', '所属月份 Month'];
const COLS = 'ABCDEFGHI';

export class SellerWorkbooks {
	private constructor(
		private readonly template: XlsxTemplate,
		private readonly st: { title: number; bold: number; boldMoney: number; money: number },
		private readonly title: string
	) {}

	static async create(date: Date, preview: boolean): Promise<SellerWorkbooks> {
		const wb = new ExcelJS.Workbook();
		const ws = wb.addWorksheet('账单 Bill');
		ws.columns = [{ width: 34 }, { width: 18 }, { width: 16 }, { width: 14 }, { width: 44 }, { width: 10 }, { width: 14 }, { width: 14 }, { width: 12 }];
		// Style probes (numbers, so that the template has no shared strings): read back by cell reference.
		ws.getCell('A1').value = 0;
		ws.getCell('A1').font = { bold: true, size: 14 };
		ws.getCell('A2').value = 0;
		ws.getCell('A2').font = { bold: true };
		ws.getCell('B2').value = 0;
		ws.getCell('B2').font = { bold: true };
		ws.getCell('B2').numFmt = CNY_FORMAT;
		ws.getCell('A3').value = 0;
		ws.getCell('A3').numFmt = CNY_FORMAT;
		const t = await XlsxTemplate.fromWorkbook(wb, { date });
		const st = { title: t.style(0, 'A1'), bold: t.style(0, 'A2'), boldMoney: t.style(0, 'B2'), money: t.style(0, 'A3') };
		const title = preview ? '视觉服务月度账单 Visual service monthly bill（预览 PREVIEW）' : '视觉服务月度账单 Visual service monthly bill';
		return new SellerWorkbooks(t, st, title);
	}

	/** The workbook of bill `b` with its lines (in line order). */
	render(b: BillRow, lines: LineRow[]): Buffer {
		const st = this.st;
		const texts = (r: number, values: string[], style = 0) => values.map((v, i) => strCell(`${COLS[i]}${r}`, style, v)).join('');
		let x = rowXml(1, strCell('A1', st.title, this.title));
		x += rowXml(2, texts(2, ['账期 Billing month', b.month]));
		x += rowXml(3, texts(3, ['商家 Seller', b.seller_id, b.seller_name]));
		x += rowXml(4, texts(4, ['统一社会信用代码 USCC', b.uscc]));
		x += rowXml(5, texts(5, ['到期日 Due date', b.due_date]));
		let r = 7;
		for (const [key, label] of SELLER_SUMMARY) {
			const money = key !== 'order_count' && key !== 'image_count';
			const bold = key === 'amount_due';
			const v = b[key] as number;
			x += rowXml(r, strCell(`A${r}`, bold ? st.bold : 0, label) + numCell(`B${r}`, money ? (bold ? st.boldMoney : st.money) : 0, money ? fenNumber(v) : v));
			r++;
		}
		r++;
		x += rowXml(r, texts(r, LINE_HEADER, st.bold));
		for (const l of lines) {
			r++;
			x += rowXml(
				r,
				strCell(`A${r}`, 0, l.line_type) + strCell(`B${r}`, 0, l.order_id ?? '') + strCell(`C${r}`, 0, l.sku_id ?? '') + strCell(`D${r}`, 0, l.category ?? '') +
					strCell(`E${r}`, 0, l.description) + numCell(`F${r}`, 0, l.quantity) + numCell(`G${r}`, st.money, fenNumber(l.unit_price)) +
					numCell(`H${r}`, st.money, fenNumber(l.amount)) + strCell(`I${r}`, 0, l.month_of_origin)
			);
		}
		return this.template.build([this.template.sheetXml(0, x)]);
	}
}
