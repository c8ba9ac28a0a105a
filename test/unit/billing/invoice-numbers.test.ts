import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseInvoiceNumbers } from '../../../src/lib/server/billing/invoice-numbers.ts';

const serial = fc.tuple(fc.constantFrom('VS', 'VR'), fc.stringMatching(/^\d{16}$/)).map(([k, d]) => k + d);
const number20 = fc.stringMatching(/^\d{20}$/);

describe('parseInvoiceNumbers (the CSV shape)', () => {
	it('reads either header language, a BOM, CRLF, spaces around values, and blank lines', () => {
		const r = parseInvoiceNumbers('\uFEFF发票号码 , 发票流水号\r\n 26442000000123456789 ,VS20260300000001 01\r\n\r\n');
		expect(r.errors).toEqual(['line 2: 发票流水号 must look like VS/VR + YYYYMM + 10 digits (18 characters)']);
		const ok = parseInvoiceNumbers('invoice_serial,invoice_number\r\n VS202603000000010 1,x\nVS202603000000010,12345678\n');
		expect(ok.errors).toEqual(['line 2: 发票流水号 must look like VS/VR + YYYYMM + 10 digits (18 characters); 发票号码 must be 20 digits (数电票) or 8 digits']);
		const good = parseInvoiceNumbers('发票流水号,发票号码\nVS20260300000001 01,26442000000123456789\n'.replace(' ', ''));
		expect(good).toEqual({ rows: [{ serial: 'VS2026030000000101', invoice_number: '26442000000123456789', line: 2 }], errors: [] });
	});

	it('refuses a file without the two columns, an empty file, and contradictions inside the file', () => {
		expect(parseInvoiceNumbers('serial_no,number\nVS2026030000000101,26442000000123456789\n').errors[0]).toMatch(/header must name 发票流水号/);
		expect(parseInvoiceNumbers('发票流水号,发票号码\n').errors).toEqual(['the file holds no pairs']);
		const twice = parseInvoiceNumbers('发票流水号,发票号码\nVS2026030000000101,26442000000123456789\nVS2026030000000101,26442000000123456780\n');
		expect(twice.errors).toEqual(['line 3: VS2026030000000101 appears twice with different numbers (26442000000123456789, 26442000000123456780)']);
		const shared = parseInvoiceNumbers('发票流水号,发票号码\nVS2026030000000101,26442000000123456789\nVS2026030000000201,26442000000123456789\n');
		expect(shared.errors).toEqual(['line 3: 发票号码 26442000000123456789 is given to both VS2026030000000101 and VS2026030000000201']);
		// the same pair twice is harmless
		expect(parseInvoiceNumbers('发票流水号,发票号码\nVS2026030000000101,26442000000123456789\nVS2026030000000101,26442000000123456789\n').rows.length).toBe(1);
	});

	it('property: distinct valid pairs written as CSV come back exactly, with their line numbers', () => {
		fc.assert(
			fc.property(fc.uniqueArray(fc.tuple(serial, number20), { selector: (p) => p[0], minLength: 1, maxLength: 30 }), (pairs) => {
				const uniq = pairs.filter((p, i) => pairs.findIndex((q) => q[1] === p[1]) === i);
				const text = '发票流水号,发票号码\n' + uniq.map((p) => p.join(',')).join('\n');
				const r = parseInvoiceNumbers(text);
				expect(r.errors).toEqual([]);
				expect(r.rows).toEqual(uniq.map(([s, n], i) => ({ serial: s, invoice_number: n, line: i + 2 })));
			})
		);
	});
});
