import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { benjaminiHochberg, benjaminiHochbergAdjusted } from '../../../src/lib/stats/index.ts';

describe('Benjamini–Hochberg', () => {
	it('hand example: adjusted p-values in input order', () => {
		// sorted 0.005, 0.01, 0.03, 0.04 → m·p/j = 0.02, 0.02, 0.04, 0.04
		const adj = benjaminiHochbergAdjusted([0.01, 0.04, 0.03, 0.005]);
		[0.02, 0.04, 0.04, 0.02].forEach((v, i) => expect(adj[i]).toBeCloseTo(v, 14));
		expect(benjaminiHochberg([0.01, 0.04, 0.03, 0.005], 0.03)).toEqual([true, false, false, true]);
	});

	it('steps up: all of 0.02, 0.03, 0.04 pass at q = 0.05 (Bonferroni would pass none)', () => {
		expect(benjaminiHochberg([0.02, 0.03, 0.04])).toEqual([true, true, true]);
		expect(benjaminiHochberg([0.02, 0.04, 0.06])).toEqual([false, false, false]); // 0.02 > 0.05/3, 0.04 > 2·0.05/3, 0.06 > 0.05
		expect(benjaminiHochberg([0.02, 0.03, 0.06])).toEqual([true, true, false]); // 0.03 ≤ 2·0.05/3
	});

	it('empty input and bad p-values', () => {
		expect(benjaminiHochberg([])).toEqual([]);
		expect(() => benjaminiHochberg([0.2, 1.5])).toThrow(RangeError);
		expect(() => benjaminiHochberg([0.2, Number.NaN])).toThrow(RangeError);
	});

	const ps = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 40 });

	it('flags are monotone in p: a smaller p is never less significant', () => {
		fc.assert(
			fc.property(ps, fc.double({ min: 0.001, max: 0.5, noNaN: true }), (p, q) => {
				const f = benjaminiHochberg(p, q);
				for (let i = 0; i < p.length; i++) for (let j = 0; j < p.length; j++) if (p[i] <= p[j] && f[j]) expect(f[i]).toBe(true);
			})
		);
	});

	it('adjusted p lies in [p, 1] and agrees with the step-up rule', () => {
		fc.assert(
			fc.property(ps, (p) => {
				const adj = benjaminiHochbergAdjusted(p);
				const m = p.length;
				const sorted = [...p].sort((a, b) => a - b);
				let k = 0; // largest k with p₍k₎ ≤ k·q/m
				for (let j = 1; j <= m; j++) if (sorted[j - 1] <= (j * 0.05) / m) k = j;
				const flags = benjaminiHochberg(p);
				p.forEach((pi, i) => {
					expect(adj[i]).toBeGreaterThanOrEqual(pi * (1 - 1e-15)); // m·p/m may round a hair below p
					expect(adj[i]).toBeLessThanOrEqual(1);
					// step-up: exactly the k smallest are rejected (ties share the verdict)
					if (k > 0 && pi < sorted[k - 1]) expect(flags[i]).toBe(true);
					if (k === 0 || pi > sorted[k - 1]) expect(flags[i]).toBe(false);
				});
			})
		);
	});
});
