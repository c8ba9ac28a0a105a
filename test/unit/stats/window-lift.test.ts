import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ratioWindow, tQuantile, tSf, windowLift, type DayCounts } from '../../../src/lib/stats/index.ts';

const day = (impressions: number, clicks: number, addToCart = 0): DayCounts => ({ impressions, clicks, addToCart });

// Baseline: 7 days × 1,000 impressions, 140 clicks, R_b = 0.02, residuals 0, 2, −2, 0, 1, −1, 0.
const baseline = [20, 22, 18, 20, 21, 19, 20].map((c) => day(1000, c, c * 2));
// Result: 30 days × 1,000 impressions, 15 × 26 + 15 × 22 = 720 clicks, R_r = 0.024, residuals ±2.
const result = Array.from({ length: 30 }, (_, i) => day(1000, i % 2 ? 22 : 26, i % 2 ? 30 : 60));

describe('ratioWindow', () => {
	it('hand example: rate and Var(R) = k/(k−1) · Σ(x − R·n)² / (Σn)²', () => {
		const w = ratioWindow(baseline, 'ctr');
		expect(w).toMatchObject({ num: 140, den: 7000, days: 7 });
		expect(w.rate).toBe(0.02);
		expect(w.variance).toBeCloseTo(((7 / 6) * 10) / 7000 ** 2, 20);
	});

	it('counts every day: a zero-impression day keeps the rate and changes k', () => {
		const w = ratioWindow([...baseline, day(0, 0)], 'ctr');
		expect(w.rate).toBe(0.02);
		expect(w.days).toBe(8);
		expect(w.variance).toBeCloseTo(((8 / 7) * 10) / 7000 ** 2, 20);
	});

	it('no impressions → no rate; one day → no variance', () => {
		expect(ratioWindow([day(0, 0), day(0, 0)], 'ctr')).toMatchObject({ rate: null, variance: null });
		expect(ratioWindow([day(100, 3)], 'ctr')).toMatchObject({ rate: 0.03, variance: null });
	});

	it('rejects counts that are not whole numbers ≥ 0', () => {
		expect(() => ratioWindow([day(10.5, 1)], 'ctr')).toThrow(RangeError);
		expect(() => ratioWindow([day(10, -1)], 'ctr')).toThrow(RangeError);
	});
});

describe('windowLift (day as unit, delta method, Welch df, t quantile)', () => {
	it('hand-worked CTR example', () => {
		const varB = ((7 / 6) * 10) / 7000 ** 2; // 2.381e-7
		const varR = ((30 / 29) * 120) / 30000 ** 2; // 1.379e-7
		const vr = varR / 0.02 ** 2; // Var(Rr)/Rb²
		const vb = (0.024 ** 2 * varB) / 0.02 ** 4; // Rr²·Var(Rb)/Rb⁴
		const se = Math.sqrt(vr + vb);
		const df = (vr + vb) ** 2 / (vr ** 2 / 29 + vb ** 2 / 6);
		const w = windowLift(baseline, result, 'ctr');
		expect(w.baselineRate).toBe(0.02);
		expect(w.resultRate).toBe(0.024);
		expect(w.lift).toBeCloseTo(0.2, 14);
		expect(w.se).toBeCloseTo(se, 12);
		expect(se).toBeCloseTo(0.03467, 5);
		expect(w.df).toBeCloseTo(df, 10);
		expect(df).toBeCloseTo(11.416, 3);
		expect(w.lower95).toBeCloseTo(0.2 - tQuantile(0.95, df) * se, 12);
		expect(w.lower95).toBeCloseTo(0.138, 3); // 0.2 − 1.789 × 0.03467
		expect(w.pValue).toBeCloseTo(tSf(0.2 / se, df), 14);
		expect(w.pValue!).toBeLessThan(0.001);
	});

	it('add-to-cart rate = add-to-cart events per impression', () => {
		const w = windowLift(baseline, result, 'atc');
		expect(w.baselineRate).toBe(280 / 7000);
		expect(w.resultRate).toBe((15 * 60 + 15 * 30) / 30000);
		expect(w.lift).toBeCloseTo(0.045 / 0.04 - 1, 14);
	});

	it('a week of 7 points is a small sample: the bound uses t(0.95, ~df), wider than a normal one', () => {
		const w = windowLift(baseline, result, 'ctr');
		expect(w.lower95!).toBeLessThan(w.lift! - 1.6449 * w.se!);
	});

	it('constant daily rates: no sampling error, bound = lift', () => {
		const b = Array.from({ length: 7 }, () => day(1000, 20));
		const r = Array.from({ length: 30 }, () => day(500, 11));
		const w = windowLift(b, r, 'ctr');
		expect(w.lift).toBeCloseTo(0.1, 14);
		expect(w).toMatchObject({ se: 0, df: null, pValue: 0 });
		expect(w.lower95).toBe(w.lift);
	});

	it('undefined cases come back as null, not NaN', () => {
		const zero = Array.from({ length: 7 }, () => day(1000, 0));
		expect(windowLift(zero, result, 'ctr')).toMatchObject({ baselineRate: 0, lift: null, se: null, lower95: null });
		const none = Array.from({ length: 7 }, () => day(0, 0));
		expect(windowLift(none, result, 'ctr')).toMatchObject({ baselineRate: null, lift: null });
	});

	const dayArb = fc.record({ impressions: fc.integer({ min: 0, max: 5000 }), clicks: fc.integer({ min: 0, max: 200 }), addToCart: fc.integer({ min: 0, max: 50 }) });

	it('is invariant to the order of the days (bit for bit)', () => {
		fc.assert(
			fc.property(
				fc.array(dayArb, { minLength: 2, maxLength: 10 }),
				fc.array(dayArb, { minLength: 2, maxLength: 35 }),
				fc.nat(),
				(b, r, seed) => {
					const shuffle = <T>(xs: T[]) => {
						const a = [...xs];
						let s = seed;
						for (let i = a.length - 1; i > 0; i--) {
							s = (s * 1103515245 + 12345) % 2147483648;
							const j = s % (i + 1);
							[a[i], a[j]] = [a[j], a[i]];
						}
						return a;
					};
					for (const m of ['ctr', 'atc'] as const) expect(windowLift(shuffle(b), shuffle(r), m)).toEqual(windowLift(b, r, m));
				}
			)
		);
	});

	it('scaling every count by the same factor keeps the lift and shrinks nothing else away', () => {
		fc.assert(
			fc.property(fc.array(dayArb, { minLength: 2, maxLength: 8 }), fc.array(dayArb, { minLength: 2, maxLength: 8 }), (b, r) => {
				const x3 = (ds: DayCounts[]) => ds.map((d) => ({ impressions: 3 * d.impressions, clicks: 3 * d.clicks, addToCart: 3 * d.addToCart }));
				const a = windowLift(b, r, 'ctr');
				const c = windowLift(x3(b), x3(r), 'ctr');
				if (a.lift === null) expect(c.lift).toBeNull();
				else {
					expect(c.lift!).toBeCloseTo(a.lift, 9);
					// the delta method on day totals is scale-free: same se (it is not a binomial variance)
					if (a.se !== null) expect(c.se!).toBeCloseTo(a.se, 9);
				}
			})
		);
	});
});
