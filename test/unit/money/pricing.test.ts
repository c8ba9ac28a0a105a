import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import fs from 'node:fs';
import { orderCharge, parseLanguages, priceListSchema, unitPriceFen, unitPriceTable, versionFor } from '../../../src/lib/pricing.ts';

const list = priceListSchema.parse(JSON.parse(fs.readFileSync('config/price-list.json', 'utf8')));
const v = versionFor(list, '2026-03-01');

describe('unit price (domain spec worked figures)', () => {
	it('jewelry main, rush, licence: 139 × 1.42 × 1.5 × 0.77 = 227.9739 → 227.97', () => {
		expect(unitPriceFen(v, { category: 'jewelry', imageType: 'main', rush: true, storeLicense: true })).toBe(22797);
	});
	it('plain list prices', () => {
		expect(unitPriceFen(v, { category: 'apparel', imageType: 'main', rush: false, storeLicense: false })).toBe(8500);
		expect(unitPriceFen(v, { category: 'electronics', imageType: 'scene', rush: false, storeLicense: false })).toBe(21800);
		// jewelry scene: 230 × 1.42 = 326.60
		expect(unitPriceFen(v, { category: 'jewelry', imageType: 'scene', rush: false, storeLicense: false })).toBe(32660);
		// apparel main licence: 85 × 0.77 = 65.45; rush: 127.50; both: 98.175 → 98.18 (half up)
		expect(unitPriceFen(v, { category: 'apparel', imageType: 'main', rush: false, storeLicense: true })).toBe(6545);
		expect(unitPriceFen(v, { category: 'apparel', imageType: 'main', rush: true, storeLicense: false })).toBe(12750);
		expect(unitPriceFen(v, { category: 'apparel', imageType: 'main', rush: true, storeLicense: true })).toBe(9818);
	});
	it('rounds once: the image fee is the rounded unit price times the count', () => {
		const c = orderCharge(v, { category: 'jewelry', imageType: 'main', rush: true, storeLicense: true, imageCount: 3, languages: ['en', 'de'] });
		expect(c.unitPrice).toBe(22797);
		expect(c.imageFee).toBe(68391);
		expect(c.languageFee).toBe(3 * 2 * 3500); // ¥35 per language per image, no multipliers
		expect(c.total).toBe(68391 + 21000);
	});
	it('every unit price is within half a fen of the exact product (property)', () => {
		const rows = unitPriceTable(v);
		expect(rows).toHaveLength(7 * 2 * 2 * 2);
		for (const r of rows) {
			const cat = v.categories[r.category];
			const exact = Number(cat[r.imageType]) * 100 * Number(cat.complexity) * (r.rush ? 1.5 : 1) * (r.storeLicense ? 0.77 : 1);
			expect(Math.abs(r.unitPrice - exact)).toBeLessThanOrEqual(0.5 + 1e-6);
		}
	});
	it('picks the version in force on the publishing day', () => {
		const two = priceListSchema.parse({
			versions: [list.versions[0], { ...list.versions[0], version: '2026-07', effective_from: '2026-07-01', categories: { ...list.versions[0].categories, apparel: { main: '90.00', scene: '160.00', complexity: '1.00' } } }]
		});
		expect(versionFor(two, '2026-06-30').version).toBe('2024-01');
		expect(versionFor(two, '2026-07-01').version).toBe('2026-07');
		expect(() => versionFor(two, '2023-12-31')).toThrow(/no price list/);
	});
});

describe('languages', () => {
	it('accepts listed lower-case codes, rejects others and repeats', () => {
		expect(parseLanguages('')).toEqual({ ok: true, codes: [] });
		expect(parseLanguages('en;de')).toEqual({ ok: true, codes: ['en', 'de'] });
		expect(parseLanguages('th').ok).toBe(false);
		expect(parseLanguages('vi;en').ok).toBe(false);
		expect(parseLanguages('EN').ok).toBe(false);
		expect(parseLanguages('en;en').ok).toBe(false);
	});
	it('any subset of the five codes in any order is valid (property)', () => {
		fc.assert(
			fc.property(fc.shuffledSubarray(['en', 'es', 'fr', 'de', 'pt']), (codes) => {
				const r = parseLanguages(codes.join(';'));
				return r.ok && r.codes.length === codes.length;
			})
		);
	});
});
