import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	erfc,
	lnGamma,
	normalCdf,
	normalQuantile,
	normalSf,
	regularizedBeta,
	tCdf,
	tQuantile,
	tSf,
	welchDf
} from '../../../src/lib/stats/index.ts';

describe('special functions', () => {
	it('lnGamma at known points', () => {
		expect(lnGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 13);
		expect(lnGamma(10)).toBeCloseTo(Math.log(362880), 12);
		expect(lnGamma(1)).toBeCloseTo(0, 14);
	});

	it('regularized incomplete beta equals a binomial tail for integer a, b', () => {
		// I_x(a, b) = P(Bin(a+b−1, x) ≥ a); a = 2, b = 3, x = 1/2: (6 + 4 + 1)/16
		expect(regularizedBeta(0.5, 2, 3)).toBeCloseTo(11 / 16, 14);
		// a = 1: I_x(1, b) = 1 − (1−x)^b
		expect(regularizedBeta(0.3, 1, 7)).toBeCloseTo(1 - 0.7 ** 7, 14);
	});

	it('erfc at known points', () => {
		expect(erfc(0)).toBe(1);
		expect(erfc(0.5)).toBeCloseTo(0.4795001221869535, 14);
		expect(erfc(-0.5)).toBeCloseTo(2 - 0.4795001221869535, 14);
	});
});

describe('normal distribution', () => {
	it('quantiles from the table', () => {
		expect(normalQuantile(0.95)).toBeCloseTo(1.6448536269514722, 10);
		expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 10);
		expect(normalQuantile(0.5)).toBe(0);
		expect(normalQuantile(0.05)).toBeCloseTo(-1.6448536269514722, 10);
		expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 8);
	});

	it('CDF and the far tail', () => {
		expect(normalCdf(1.96)).toBeCloseTo(0.9750021048517795, 12);
		expect(normalSf(8) / 6.22096057427178e-16).toBeCloseTo(1, 8);
	});

	it('quantile inverts the CDF', () => {
		fc.assert(
			fc.property(fc.double({ min: 1e-9, max: 1 - 1e-9, noNaN: true }), (p) => {
				expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 12);
			})
		);
	});
});

describe('Student t', () => {
	it('quantiles from the table (accurate to 1e-6)', () => {
		expect(tQuantile(0.95, 6)).toBeCloseTo(1.94318, 6);
		expect(tQuantile(0.95, 10)).toBeCloseTo(1.812461, 6);
		expect(tQuantile(0.95, 30)).toBeCloseTo(1.697261, 6);
		expect(tQuantile(0.975, 4)).toBeCloseTo(2.776445, 6);
		expect(tQuantile(0.975, 1)).toBeCloseTo(12.706205, 6);
		expect(tQuantile(0.95, 2)).toBeCloseTo(2.919986, 6);
		expect(tQuantile(0.999, 3)).toBeCloseTo(10.214532, 6);
		expect(tQuantile(0.95, 1e9)).toBeCloseTo(1.644854, 6);
		expect(tQuantile(0.95, 5000)).toBeCloseTo(1.6451584, 6); // Cornish–Fisher: z + (z³+z)/(4ν) + …
		expect(tQuantile(0.05, 6)).toBeCloseTo(-1.94318, 6);
	});

	it('CDF at known points', () => {
		expect(tCdf(2, 5)).toBeCloseTo(0.9490302605850709, 10);
		expect(tCdf(0, 3.7)).toBeCloseTo(0.5, 14);
		expect(tCdf(1, 1)).toBeCloseTo(0.75, 14); // Cauchy
		expect(tSf(1.94318, 6)).toBeCloseTo(0.05, 6);
	});

	it('quantile inverts the CDF for non-integer df (Welch gives those)', () => {
		fc.assert(
			fc.property(fc.double({ min: 0.5, max: 0.9999, noNaN: true }), fc.double({ min: 1, max: 500, noNaN: true }), (p, df) => {
				expect(tCdf(tQuantile(p, df), df)).toBeCloseTo(p, 10);
			})
		);
	});

	it('quantile decreases in df towards the normal one', () => {
		const qs = [2, 2.5, 3, 6, 6.5, 30, 100, 1e4].map((df) => tQuantile(0.95, df));
		for (let i = 1; i < qs.length; i++) expect(qs[i]).toBeLessThan(qs[i - 1]);
		expect(qs.at(-1)! - normalQuantile(0.95)).toBeGreaterThan(0);
	});

	it('rejects nonsense', () => {
		expect(() => tQuantile(1.2, 5)).toThrow(RangeError);
		expect(() => tQuantile(0.9, 0)).toThrow(RangeError);
	});
});

describe('Welch–Satterthwaite', () => {
	it('two equal components with 6 df each pool to 12', () => {
		expect(welchDf([{ variance: 2, df: 6 }, { variance: 2, df: 6 }])).toBeCloseTo(12, 12);
	});
	it('one dominant component keeps its own df', () => {
		expect(welchDf([{ variance: 1, df: 6 }, { variance: 0, df: 29 }])).toBe(6);
		expect(welchDf([{ variance: 1, df: 6 }, { variance: 1e-9, df: 29 }])).toBeCloseTo(6, 6);
	});
	it('hand example: v = 3, 1 with df 4, 9 → 16 / (9/4 + 1/9)', () => {
		expect(welchDf([{ variance: 3, df: 4 }, { variance: 1, df: 9 }])).toBeCloseTo(16 / (9 / 4 + 1 / 9), 12);
	});
	it('no variance at all → null', () => {
		expect(welchDf([{ variance: 0, df: 6 }, { variance: 0, df: 29 }])).toBeNull();
	});
});
