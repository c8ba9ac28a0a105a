/** Opens the workbooks with a real spreadsheet program (LibreOffice) and finds the CSVs' figures. */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/lib/server/db/connection.ts';
import { runBilling } from '../../../src/lib/server/billing/run.ts';
import { dispute, freshDb, order, seller } from './fixtures.ts';
import { readCsv, stubDeps, tmpOut } from './helpers.ts';

const SOFFICE = ['/usr/bin/soffice', '/usr/local/bin/soffice'].find((p) => fs.existsSync(p));
if (!SOFFICE) console.warn('SKIPPED: LibreOffice (soffice) is missing; install it with: apt-get install -y libreoffice-calc-nogui');

/** Every sheet of a workbook as CSV text (LibreOffice writes one file per sheet with token 12 = -1). */
function sheetsAsCsv(file: string): Map<string, string[][]> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'soffice-'));
	execFileSync(SOFFICE!, ['-env:UserInstallation=file://' + path.join(dir, 'profile'), '--headless', '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1', '--outdir', dir, file], { stdio: 'pipe', timeout: 120_000 });
	const out = new Map<string, string[][]>();
	const base = path.basename(file, '.xlsx');
	for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.csv'))) {
		const rows = fs.readFileSync(path.join(dir, f), 'utf8').replace(/^\uFEFF/, '').trimEnd().split('\n').map((l) => l.split(','));
		out.set(f.slice(base.length + 1, -4), rows);
	}
	fs.rmSync(dir, { recursive: true, force: true });
	return out;
}
/** Cell values come out raw (token 9 "as shown" is false): compare as numbers, to the fen. */
const num = (s: string) => (Math.round(Number(s.replace(/[¥"\s,]/g, '')) * 100) / 100).toFixed(2);

describe.skipIf(!SOFFICE)('workbooks read back with LibreOffice', () => {
	let db: Db;
	let out: string;
	beforeAll(async () => {
		db = await freshDb();
		out = tmpOut();
		await seller(db, 'S1');
		await seller(db, 'S2', { name: '@SUM(1)' });
		await order(db, { id: 'O1', seller: 'S1', category: 'jewelry', rush: true, license: true, images: 3, languages: ['en'], published: '2026-02-20 10:00:00+08', delivered: '2026-03-01T00:30:00+08:00' });
		await order(db, { id: 'O2', seller: 'S2', published: '2026-02-01 10:00:00+08', delivered: '2026-02-03 10:00:00+08' });
		await dispute(db, { id: 'D2', order: 'O2', opened: '2026-02-04 10:00:00+08', resolved: '2026-03-02 10:00:00+08', ruling: 'provider_fault' });
		await runBilling(db, { month: '2026-03', outDir: out, actor: 'test', deps: stubDeps() });
	}, 120_000);
	afterAll(async () => {
		await db.close();
		fs.rmSync(out, { recursive: true, force: true });
	});

	it('bills.xlsx holds the CSVs’ figures, a SUM totals row, and text as text', () => {
		const m = path.join(out, '2026-03');
		const csv = readCsv(path.join(m, 'bills-summary.csv'));
		const sheets = sheetsAsCsv(path.join(m, 'bills.xlsx'));
		const summary = [...sheets.entries()].find(([k]) => k.includes('Summary'))![1];
		const cols = Object.keys(csv[0]);
		const data = summary.slice(1, 1 + csv.length);
		const TEXT = new Set(['seller_id', 'seller_name', 'due_date']);
		// LibreOffice shows text as entered (no apostrophe: the xlsx cell is text, never a formula) and money as ¥1,234.56.
		data.forEach((row, i) =>
			cols.forEach((c, j) => expect([c, TEXT.has(c) ? row[j].replace(/^"|"$/g, '') : num(row[j])]).toEqual([c, TEXT.has(c) ? csv[i][c].replace(/^'/, '') : num(csv[i][c])]))
		);
		expect(data.map((r) => r[1])).toContain('@SUM(1)');
		const totals = summary[1 + csv.length];
		expect(totals[0]).toContain('Total');
		for (const c of ['image_fees', 'refunds', 'net_service_amount', 'credits', 'amount_due']) {
			const fen = csv.reduce((sum, r) => sum + Math.round(Number(r[c]) * 100), 0);
			expect([c, num(totals[cols.indexOf(c)])]).toEqual([c, (fen / 100).toFixed(2)]);
		}
		const lines = [...sheets.entries()].find(([k]) => k.includes('Lines'))![1];
		expect(lines.length - 2).toBe(readCsv(path.join(m, 'bill-lines.csv')).length);
	}, 120_000);

	it('the VAT workbook holds the invoices of vat-invoices.csv, headers on row 3', () => {
		const m = path.join(out, '2026-03');
		const inv = readCsv(path.join(m, 'vat-invoices.csv'));
		const sheets = sheetsAsCsv(path.join(m, 'vat-invoices.xlsx'));
		expect([...sheets.keys()].sort()).toEqual(['1-发票基本信息', '2-发票明细信息', '3-红字发票信息']);
		const basic = sheets.get('1-发票基本信息')!;
		expect(basic[2].slice(0, 3)).toEqual(['发票流水号', '发票类型', '是否含税']);
		const detail = sheets.get('2-发票明细信息')!;
		const blue = inv.filter((i) => i.kind === 'blue');
		expect(detail.slice(3).map((r) => [r[0], r[7], r[10]])).toEqual(blue.map((b) => [b.invoice_serial, b.amount_excl_tax, b.tax]));
		const red = sheets.get('3-红字发票信息')!;
		expect(red.slice(3).map((r) => [r[0], r[1], r[12]])).toEqual(inv.filter((i) => i.kind === 'red').map((r) => [r.invoice_serial, r.original_serial, r.total]));
	}, 120_000);

	it('a seller workbook holds the seller’s bill figures and lines (Chinese and English labels)', () => {
		const m = path.join(out, '2026-03');
		const bill = readCsv(path.join(m, 'bills-summary.csv')).find((b) => b.seller_id === 'S2')!;
		const lines = readCsv(path.join(m, 'bill-lines.csv')).filter((l) => l.seller_id === 'S2');
		const [rows] = [...sheetsAsCsv(path.join(m, 'sellers', 'S2.xlsx')).values()];
		const clean = (s: string | undefined) => (s ?? '').replace(/^"|"$/g, '');
		const label = (prefix: string) => rows.find((r) => clean(r[0]).startsWith(prefix))!;
		expect(clean(label('商家 Seller')[2])).toBe('@SUM(1)');
		expect(num(label('退款 Refunds')[1])).toBe(num(bill.refunds));
		expect(num(label('补偿额度 Credits')[1])).toBe(num(bill.credits));
		expect(num(label('应付金额 Amount due')[1])).toBe(num(bill.amount_due));
		const head = rows.findIndex((r) => clean(r[0]) === '类型 Type');
		expect(rows.slice(head + 1).map((r) => [clean(r[0]), clean(r[1]), num(r[7])])).toEqual(lines.map((l) => [l.line_type, l.order_id, num(l.amount)]));
	}, 120_000);
});
