import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isValidUscc, usccCheckChar, USCC_ALPHABET } from '../../../src/lib/uscc.ts';
import { splitVat, withinLineTolerance } from '../../../src/lib/vat.ts';

const alpha = fc.constantFrom(...USCC_ALPHABET.split(''));
const first17 = fc.array(alpha, { minLength: 17, maxLength: 17 }).map((a) => a.join(''));

describe('USCC (GB 32100-2015)', () => {
	it('accepts published example codes and rejects a changed check character', () => {
		// Check characters worked by hand with weights 3^(i-1) mod 31.
		expect(isValidUscc('91350100M000100Y43')).toBe(true);
		expect(isValidUscc('91350100M000100Y44')).toBe(false);
		expect(isValidUscc('91350100m000100y43')).toBe(false); // lower case is not the alphabet
		expect(isValidUscc('91350100M000100Y4')).toBe(false);
		expect(isValidUscc('91350100I000100Y43')).toBe(false); // I is not in the alphabet
	});
	it('a valid code with any one character changed to another alphabet character fails', () => {
		fc.assert(
			fc.property(first17, fc.nat(17), alpha, (f, pos, ch) => {
				const code = f + usccCheckChar(f);
				fc.pre(code[pos] !== ch);
				const changed = code.slice(0, pos) + ch + code.slice(pos + 1);
				expect(isValidUscc(code)).toBe(true);
				expect(isValidUscc(changed)).toBe(false);
			}),
			{ numRuns: 2000 }
		);
	});
});

describe('splitVat', () => {
	it('300.00 → 283.02 + 16.98 (spec example), negatives symmetric', () => {
		expect(splitVat(30000)).toEqual({ amountExclTax: 28302, tax: 1698 });
		expect(splitVat(-30000)).toEqual({ amountExclTax: -28302, tax: -1698 });
		expect(splitVat(0)).toEqual({ amountExclTax: 0, tax: 0 });
	});
	it('rounds half up: 0.53 / 1.06 = 0.5 → 1 fen', () => {
		expect(splitVat(53)).toEqual({ amountExclTax: 50, tax: 3 });
		expect(splitVat(159)).toEqual({ amountExclTax: 150, tax: 9 }); // exact
		expect(splitVat(-53).amountExclTax).toBe(-50);
	});
	it('property: amount + tax = total, amount is the nearest fen to total/1.06, within the tax tolerance', () => {
		fc.assert(
			fc.property(fc.integer({ min: -1e12, max: 1e12 }), (total) => {
				const { amountExclTax: a, tax } = splitVat(total);
				expect(a + tax).toBe(total);
				// |a − total/1.06| ≤ 0.5  ⇔  |106a − 100 total| ≤ 53
				expect(Math.abs(106 * a - 100 * total)).toBeLessThanOrEqual(53);
				expect(withinLineTolerance(a, tax)).toBe(true);
				expect(splitVat(-total).amountExclTax).toBe(-a || 0);
			})
		);
	});
});
