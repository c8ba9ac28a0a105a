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
});
