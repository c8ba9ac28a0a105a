import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addMoments, clusteredLift, clusteredLiftFromMoments, didLift, didLiftFromMoments, emptyMoments, liftMoments, type LiftUnit } from '../../../src/lib/stats/index.ts';

/** a ≈ b within 1e-9 relative to the figure's scale (scale: the lift's size, at least 1). */
function close(a: number | null, b: number | null, scale: number) {
	if (a === null || b === null) return expect(a).toBe(b);
	expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(scale), Math.abs(a), Math.abs(b)));
}

// Realistic and degenerate units alike: zero windows, zero clicks, clicks above impressions.
const count = fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 5_000_000 }));
const unit: fc.Arbitrary<LiftUnit> = fc.record({ bNum: count, bDen: count, rNum: count, rDen: count });
// Traffic-like units: impressions 1,000–200,000, CTR up to 6%, so the interval is not degenerate.
const traffic: fc.Arbitrary<LiftUnit> = fc
	.record({ bDen: fc.integer({ min: 1000, max: 40_000 }), rDen: fc.integer({ min: 1000, max: 200_000 }), pb: fc.double({ min: 0.001, max: 0.06, noNaN: true }), pr: fc.double({ min: 0.001, max: 0.08, noNaN: true }) })
	.map(({ bDen, rDen, pb, pr }) => ({ bDen, rDen, bNum: Math.round(bDen * pb), rNum: Math.round(rDen * pr) }));
const units = fc.array(fc.oneof(unit, traffic, traffic), { maxLength: 60 });

describe('clusteredLiftFromMoments', () => {
	it('equals clusteredLift on any units (same lift, interval and p-value up to float rounding)', () => {
		fc.assert(
			fc.property(units, (us) => {
				const a = clusteredLift(us);
				const b = clusteredLiftFromMoments(liftMoments(us));
				expect(b.n).toBe(a.n);
				expect(b.lift).toBe(a.lift); // the same float operations on the same sums
				const scale = a.lift ?? 1;
				close(b.se, a.se, scale);
				close(b.lower95, a.lower95, scale);
				close(b.upper95, a.upper95, scale);
				close(b.pValue, a.pValue, 1);
			}),
			{ numRuns: 500 }
		);
	});

	it('moments are additive: two groups merged give the figures of their union', () => {
		fc.assert(
			fc.property(units, units, (x, y) => {
				expect(addMoments(liftMoments(x), liftMoments(y))).toEqual(liftMoments([...x, ...y]));
				expect(addMoments(emptyMoments(), liftMoments(x))).toEqual(liftMoments(x));
			}),
			{ numRuns: 100 }
		);
	});

	it('hand example of cluster.test.ts from its moments', () => {
		const us: LiftUnit[] = [
			{ bNum: 10, bDen: 1000, rNum: 60, rDen: 4000 },
			{ bNum: 30, bDen: 1000, rNum: 100, rDen: 3000 },
			{ bNum: 20, bDen: 2000, rNum: 40, rDen: 3000 }
		];
		const m = liftMoments(us);
		expect(m).toMatchObject({ n: 3, bNum: 60n, bDen: 4000n, rNum: 200n, rDen: 10000n, bNumRDen: 10n * 4000n + 30n * 3000n + 20n * 3000n });
		const r = clusteredLiftFromMoments(m);
		expect(r.lift).toBeCloseTo(1 / 3, 14);
		expect(r.se).toBeCloseTo(Math.sqrt((3 / 2) * (1 / 45 ** 2 + 9 / 45 ** 2 + 16 / 45 ** 2)), 14);
	});

	it('exact where floats are not: proportional units have a zero variance', () => {
		const r = clusteredLiftFromMoments(liftMoments([{ bNum: 1, bDen: 100, rNum: 3, rDen: 200 }, { bNum: 7, bDen: 700, rNum: 21, rDen: 1400 }]));
		expect(r).toMatchObject({ se: 0, lower95: r.lift, upper95: r.lift, pValue: 0 });
	});

	it('rejects what cannot be a count', () => {
		expect(() => liftMoments([{ bNum: 1.5, bDen: 10, rNum: 1, rDen: 10 }])).toThrow(RangeError);
		expect(() => liftMoments([{ bNum: -1, bDen: 10, rNum: 1, rDen: 10 }])).toThrow(RangeError);
	});
});

describe('didLiftFromMoments', () => {
	it('equals didLift on any treated and control units', () => {
		fc.assert(
			fc.property(units, units, (t, c) => {
				const a = didLift(t, c);
				const b = didLiftFromMoments(liftMoments(t), liftMoments(c));
				expect([b.nTreated, b.nControl, b.lift, b.treatedLift, b.controlLift]).toEqual([a.nTreated, a.nControl, a.lift, a.treatedLift, a.controlLift]);
				const scale = a.lift ?? 1;
				close(b.se, a.se, scale);
				close(b.df, a.df, a.df ?? 1);
				close(b.lower95, a.lower95, scale);
				close(b.upper95, a.upper95, scale);
				close(b.pValue, a.pValue, 1);
			}),
			{ numRuns: 300 }
		);
	});
});
