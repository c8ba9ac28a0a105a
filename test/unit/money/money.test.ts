import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { applyRatio, formatYuan, parseDecimal, parseYuan, ratio, roundHalfUp } from '../../../src/lib/money.ts';

describe('yuan ↔ fen', () => {
	it('parses the contract forms', () => {
		expect(parseYuan('5000')).toBe(500000);
		expect(parseYuan('85.5')).toBe(8550);
		expect(parseYuan('227.97')).toBe(22797);
		expect(parseYuan('0.07')).toBe(7);
	});
	it('rejects more than two decimals and non-numbers', () => {
		for (const bad of ['1.234', '1,5', 'abc', '', '1e3', '.5']) expect(() => parseYuan(bad)).toThrow();
	});
	it('formats with two decimals and a sign', () => {
		expect(formatYuan(22797)).toBe('227.97');
		expect(formatYuan(-20000)).toBe('-200.00');
		expect(formatYuan(5)).toBe('0.05');
		expect(formatYuan(0)).toBe('0.00');
	});
	it('round-trips every amount (property)', () => {
		fc.assert(fc.property(fc.integer({ min: -1e13, max: 1e13 }), (fen) => parseYuan(formatYuan(fen)) === fen));
	});
});

describe('rounding once, half up', () => {
	it('rounds halves away from zero', () => {
		expect(roundHalfUp(ratio(5, 2))).toBe(3n);
		expect(roundHalfUp(ratio(-5, 2))).toBe(-3n);
		expect(roundHalfUp(ratio(249, 100))).toBe(2n);
		expect(roundHalfUp(ratio(-249, 100))).toBe(-2n);
	});
	it('is the nearest integer for any ratio (property)', () => {
		fc.assert(
			fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.bigInt({ min: 1n, max: 10n ** 6n }), (n, d) => {
				const q = roundHalfUp(ratio(n, d));
				// |n/d − q| ≤ 1/2, and exactly 1/2 only when rounding away from zero
				const diff2 = 2n * (n - q * d); // 2·(n − q·d), compare against d
				const abs = diff2 < 0n ? -diff2 : diff2;
				if (abs > d) return false;
				if (abs === d) return n >= 0n ? q * d > n - d : q * d < n + d; // tie went away from zero
				return true;
			})
		);
	});
	it('applies decimals exactly: 139 × 1.42 × 1.5 × 0.77 = 227.9739 → 227.97', () => {
		const r = parseDecimal('1.42');
		expect(applyRatio(13900, { num: r.num * 15n * 77n, den: r.den * 10n * 100n })).toBe(22797);
	});
});
