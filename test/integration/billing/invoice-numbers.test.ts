import fs from 'node:fs';
import path from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/lib/server/db/connection.ts';
import { runBilling } from '../../../src/lib/server/billing/run.ts';
import { importInvoiceNumbers, invoiceNumberCoverage } from '../../../src/lib/server/billing/invoice-numbers.ts';
import { dispute, freshDb, order, seller } from './fixtures.ts';
import { readCsv, stubDeps, tmpOut } from './helpers.ts';

let db: Db;
let out: string;
beforeEach(async () => {
	db = await freshDb();
	out = tmpOut();
	await seller(db, 'S1');
	await order(db, { id: 'O2', seller: 'S1', images: 2, published: '2026-02-20 10:00:00+08', delivered: '2026-02-25T10:00:00+08:00' });
	await order(db, { id: 'O3', seller: 'S1', published: '2026-03-02 10:00:00+08', delivered: '2026-03-05T10:00:00+08:00' });
	await dispute(db, { id: 'D1', order: 'O2', opened: '2026-03-01 10:00:00+08', resolved: '2026-03-02 10:00:00+08', ruling: 'provider_fault' });
});
afterEach(async () => {
	await db.close();
	fs.rmSync(out, { recursive: true, force: true });
});

const NUMBER = '26442000000123456789';
const redSheetRows = (file: string) => {
	const z = unzipSync(fs.readFileSync(file));
	const xml = strFromU8(z['xl/worksheets/sheet3.xml']);
	return [...xml.matchAll(/<row r="(\d+)"[^>]*>(.*?)<\/row>/g)].filter((m) => Number(m[1]) >= 4).map((m) => [...m[2].matchAll(/<t[^>]*>([^<]*)<\/t>/g)].map((t) => t[1]));
};

describe('importing the tax system’s invoice numbers (发票号码)', () => {
	it('a red-letter entry issued after the import carries the original invoice’s number, in the CSV and the red-letter sheet', async () => {
		await runBilling(db, { month: '2026-02', outDir: out, actor: 'test', deps: stubDeps() });
		const blue = readCsv(path.join(out, '2026-02', 'vat-invoices.csv'))[0];
		expect(blue.kind).toBe('blue');
		const febFiles = fs.readFileSync(path.join(out, '2026-02', 'run.json'), 'utf8');

		const r = await importInvoiceNumbers(db, `\uFEFF发票流水号,发票号码\n${blue.invoice_serial},${NUMBER}\n`, 'user:finance@example.com');
		expect(r).toEqual({ imported: 1, unchanged: 0, errors: [] });
		expect(await invoiceNumberCoverage(db)).toEqual({ numbered: 1, without: 0 });

		await runBilling(db, { month: '2026-03', outDir: out, actor: 'test', deps: stubDeps() });
		const red = readCsv(path.join(out, '2026-03', 'vat-invoices.csv')).find((i) => i.kind === 'red')!;
		expect(red).toMatchObject({ original_serial: blue.invoice_serial, original_invoice_number: NUMBER, total: '-170.00' });
		// 3-红字发票信息: 发票流水号, 原发票流水号, 原发票号码, 原发票所属月份, …
		expect(redSheetRows(path.join(out, '2026-03', 'vat-invoices.xlsx')).map((r) => r.slice(0, 4))).toEqual([[red.invoice_serial, blue.invoice_serial, NUMBER, '2026-02']]);
		// The issued February files never change.
		await runBilling(db, { month: '2026-02', outDir: out, actor: 'test', deps: stubDeps() });
		expect(fs.readFileSync(path.join(out, '2026-02', 'run.json'), 'utf8')).toBe(febFiles);
	});

	it('without an import the red entry names the serial only', async () => {
		await runBilling(db, { month: '2026-03', outDir: out, actor: 'test', deps: stubDeps() });
		const red = readCsv(path.join(out, '2026-03', 'vat-invoices.csv')).find((i) => i.kind === 'red')!;
		expect(red.original_serial).toMatch(/^VS202602/);
		expect(red.original_invoice_number).toBe('');
	});

	it('is all or nothing: unknown serials, changed numbers and numbers taken by another serial are refused by line', async () => {
		await runBilling(db, { month: '2026-03', outDir: out, actor: 'test', deps: stubDeps() });
		const serials = (await db.all<{ serial: string }>(`SELECT serial FROM vat_invoices ORDER BY serial`)).map((r) => r.serial);
		expect(serials.length).toBe(3); // Feb blue, Mar blue, Mar red
		const [febBlue, marBlue] = serials.filter((s) => s.startsWith('VS'));

		const bad = await importInvoiceNumbers(db, `invoice_serial,invoice_number\n${febBlue},${NUMBER}\nVS2026049999999901,26442000000123456780\n`, 'u');
		expect(bad.errors).toEqual(['line 3: VS2026049999999901 is not an issued invoice (发票流水号 unknown to the ledger)']);
		expect(await invoiceNumberCoverage(db)).toEqual({ numbered: 0, without: 3 });

		expect(await importInvoiceNumbers(db, `invoice_serial,invoice_number\n${febBlue},${NUMBER}\n`, 'u')).toEqual({ imported: 1, unchanged: 0, errors: [] });
		// the same pair again: nothing new
		expect(await importInvoiceNumbers(db, `invoice_serial,invoice_number\n${febBlue},${NUMBER}\n`, 'u')).toEqual({ imported: 0, unchanged: 1, errors: [] });
		const changed = await importInvoiceNumbers(db, `invoice_serial,invoice_number\n${febBlue},26442000000123456780\n`, 'u');
		expect(changed.errors).toEqual([`line 2: ${febBlue} already has 发票号码 ${NUMBER}; a number never changes`]);
		const taken = await importInvoiceNumbers(db, `invoice_serial,invoice_number\n${marBlue},${NUMBER}\n`, 'u');
		expect(taken.errors).toEqual([`line 2: 发票号码 ${NUMBER} already belongs to ${febBlue}`]);
		expect(await invoiceNumberCoverage(db)).toEqual({ numbered: 1, without: 2 });
		const audit = await db.all<{ action: string }>(`SELECT action FROM audit_log WHERE action LIKE 'vat.%'`);
		expect(audit.length).toBe(2);
	});
});
