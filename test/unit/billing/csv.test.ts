import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import Papa from 'papaparse';
import { toCsv, neutralise } from '../../../src/lib/server/export/csv.ts';

const cols = [
	{ name: 'name', kind: 'text' as const },
	{ name: 'n', kind: 'number' as const },
	{ name: 'amount', kind: 'money' as const }
];

describe('toCsv', () => {
	it('BOM, LF, header, money as yuan, negatives not neutralised', () => {
		const s = toCsv(cols, [['深圳 A', 3, -20000], ['b', 0, 22797]]);
		expect(s).toBe('\uFEFFname,n,amount\n深圳 A,3,-200.00\nb,0,227.97\n');
		expect(s).not.toContain('\r');
	});
	it('neutralises formula injection in text cells only', () => {
		const s = toCsv(cols, [['=HYPERLINK("http://x")', -1, -1], ['+1', 1, 1], ['-2', 1, 1], ['@SUM(A1)', 1, 1], ['\tx', 1, 1]], { bom: false });
		const rows = s.trimEnd().split('\n').slice(1);
		expect(rows[0]).toBe(`"'=HYPERLINK(""http://x"")",-1,-0.01`);
		expect(rows[1]).toBe(`'+1,1,0.01`);
		expect(rows[2]).toBe(`'-2,1,0.01`);
		expect(rows[3]).toBe(`'@SUM(A1),1,0.01`);
		expect(rows[4].startsWith(`'\tx`) || rows[4].startsWith(`"'\tx"`)).toBe(true);
	});
	it('property: any text round-trips through an RFC 4180 parser (after neutralising)', () => {
		fc.assert(
			fc.property(fc.array(fc.string(), { minLength: 1, maxLength: 5 }), (texts) => {
				const s = toCsv([{ name: 't', kind: 'text' }], texts.map((t) => [t]), { bom: false });
				const parsed = Papa.parse<string[]>(s.slice(0, -1), { newline: '\n' }).data.slice(1).map((r) => r[0]);
				expect(parsed).toEqual(texts.map(neutralise));
			})
		);
	});
	it('property: same bytes as papaparse unparse (the serializer it replaced) for any text, header or not', () => {
		const text = fc.oneof(fc.string(), fc.constantFrom(' a', 'a ', 'x,y', 'q"q', 'l\nl', 'c\rr', '\uFEFFb', '=1', ''), fc.string({ unit: 'grapheme' }));
		fc.assert(
			fc.property(fc.array(fc.tuple(text, text, fc.integer({ min: -1e9, max: 1e9 })), { maxLength: 6 }), fc.boolean(), fc.boolean(), (rows, header, bom) => {
				const cs = [{ name: 'a b', kind: 'text' as const }, { name: 'x,y', kind: 'text' as const }, { name: 'amount', kind: 'money' as const }];
				const cells = rows.map((r) => [neutralise(r[0]), neutralise(r[1]), `${r[2] < 0 ? '-' : ''}${Math.floor(Math.abs(r[2]) / 100)}.${String(Math.abs(r[2]) % 100).padStart(2, '0')}`]);
				const body = Papa.unparse({ fields: cs.map((c) => c.name), data: cells }, { newline: '\n', header, quotes: false, escapeFormulae: false });
				const expected = (bom ? '\uFEFF' : '') + body + (body ? '\n' : '');
				expect(toCsv(cs, rows, { header, bom })).toBe(expected);
			}),
			{ numRuns: 500 }
		);
	});
});
