import fc from 'fast-check';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { formatYuan } from '../../../src/lib/money.ts';
import { fenNumber, strCell, xmlText } from '../../../src/lib/server/export/xlsx-template.ts';
import { TableXlsxWriter } from '../../../src/lib/server/export/xlsx-table-stream.ts';
import { deflateEntry, StreamedEntry, ThreadedEntry, zipEntries } from '../../../src/lib/server/export/zip.ts';

describe('cell text', () => {
	it('escapes XML and the characters XML 1.0 cannot hold; a formula-looking text stays a string cell', () => {
		expect(xmlText('a<b & c>d')).toBe('a&lt;b &amp; c&gt;d');
		expect(xmlText('x\u0001y')).toBe('x_x0001_y');
		// Excel would read a literal _x0041_ as "A": its underscore is escaped
		expect(xmlText('a_x0041_b')).toBe('a_x005F_x0041_b');
		expect(xmlText('普通 text')).toBe('普通 text');
		expect(strCell('B2', 0, '=cmd|"/c calc"!A1')).toBe('<c r="B2" t="inlineStr"><is><t>=cmd|"/c calc"!A1</t></is></c>');
		expect(strCell('C3', 4, ' lead')).toBe('<c r="C3" s="4" t="inlineStr"><is><t xml:space="preserve"> lead</t></is></c>');
	});

	it('property: fenNumber is the exact decimal of integer fen', () => {
		fc.assert(
			fc.property(fc.integer({ min: -1e12, max: 1e12 }), (fen) => {
				const s = fenNumber(fen);
				expect(s).toMatch(/^-?\d+(\.\d{1,2})?$/);
				expect(Math.round(Number(s) * 100)).toBe(fen);
				expect(s).toBe(formatYuan(fen).replace(/\.00$/, '').replace(/(\.\d)0$/, '$1'));
			})
		);
		expect(() => fenNumber(1.5)).toThrow(/integer fen/);
	});
});

describe('deterministic zip', () => {
	it('reads back with fflate, entry order kept, fixed dates: same input → same bytes', () => {
		const big = new StreamedEntry('xl/worksheets/sheet1.xml');
		for (let i = 0; i < 5000; i++) big.push(`<row r="${i}"><c><v>${i}</v></c></row>`);
		const entries = [deflateEntry('[Content_Types].xml', '<Types/>'), big.end(), deflateEntry('docProps/core.xml', 'core')];
		const a = zipEntries(entries);
		const files = unzipSync(a);
		expect(Object.keys(files)).toEqual(['[Content_Types].xml', 'xl/worksheets/sheet1.xml', 'docProps/core.xml']);
		expect(strFromU8(files['xl/worksheets/sheet1.xml'])).toMatch(/^<row r="0">.*<row r="4999"><c><v>4999<\/v><\/c><\/row>$/);
		expect(zipEntries(entries).equals(a)).toBe(true);
	});
});

describe('ThreadedEntry', () => {
	it('gives the same bytes as StreamedEntry for the same pushes (many flushes, back-pressure on), and they inflate to the text', async () => {
		const pieces: string[] = [];
		for (let i = 0; i < 120_000; i++) pieces.push(`<row r="${i}"><c r="A${i}" t="inlineStr"><is><t>订单 O${(i * 7919) % 100_003}</t></is></c><c r="B${i}"><v>${(i * 31) % 977}.5</v></c></row>`);
		const a = new StreamedEntry('s.xml');
		const b = new ThreadedEntry('s.xml');
		for (const p of pieces) {
			a.push(p);
			await b.push(p);
		}
		const ea = a.end();
		const eb = await b.end();
		expect(eb.size).toBeGreaterThan(8 << 20);
		expect({ ...eb, data: undefined }).toEqual({ ...ea, data: undefined });
		expect(Buffer.concat(eb.data).equals(Buffer.concat(ea.data))).toBe(true);
		const text = strFromU8(unzipSync(zipEntries([eb]))['s.xml']);
		expect(text).toBe(pieces.join(''));
	});
	it('an empty entry, and a closed one stops its worker', async () => {
		const a = new StreamedEntry('e.xml');
		const b = new ThreadedEntry('e.xml');
		expect(Buffer.concat((await b.end()).data).equals(Buffer.concat(a.end().data))).toBe(true);
		const c = new ThreadedEntry('c.xml');
		await c.push('<x/>');
		c.close();
	});
});

describe('TableXlsxWriter', () => {
	it('writes rows in chunks, a SUM totals row with the exact cached total, and the filter over the data', async () => {
		const make = async () => {
			const w = await TableXlsxWriter.create([{ sheet: 'Lines', columns: [{ name: 'id', header: 'ID', kind: 'text' }, { name: 'n', header: 'N', kind: 'number' }, { name: 'm', header: 'M', kind: 'money' }], totals: true, title: ['PREVIEW'] }]);
			await w.add(0, [['@a', 1, 10], ['b', 2, -5]]);
			await w.add(0, [[null, 3, 1]]);
			return w.finish();
		};
		const bytes = await make();
		expect((await make()).equals(bytes)).toBe(true);
		const xml = strFromU8(unzipSync(bytes)['xl/worksheets/sheet1.xml']);
		expect(xml).toContain('<row r="3"><c r="A3" t="inlineStr"><is><t>@a</t></is></c><c r="B3"><v>1</v></c><c r="C3" s="');
		expect(xml).toMatch(/<f>SUM\(C3:C5\)<\/f><v>0\.06<\/v>/);
		expect(xml).toMatch(/<f>SUM\(B3:B5\)<\/f><v>6<\/v>/);
		expect(xml).toContain('<autoFilter ref="A2:C5"/>');
		expect(xml).toContain('ySplit="2"');
		expect(xml).not.toContain('<dimension');
	});
});
