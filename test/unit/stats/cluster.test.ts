import { describe, expect, it } from 'vitest';
import { Rng, clusteredLift, didLift, tQuantile, type LiftUnit } from '../../../src/lib/stats/index.ts';

describe('clusteredLift (order as unit)', () => {
	const units: LiftUnit[] = [
		{ bNum: 10, bDen: 1000, rNum: 60, rDen: 4000 },
		{ bNum: 30, bDen: 1000, rNum: 100, rDen: 3000 },
		{ bNum: 20, bDen: 2000, rNum: 40, rDen: 3000 }
	];

	it('hand example: ratio of sums and the linearised variance', () => {
		// Rb = 60/4000 = 0.015, Rr = 200/10000 = 0.02, g = 4/3
		const rb = 0.015;
		const rr = 0.02;
		const g = rr / rb;
		const z = units.map((u) => (u.rNum - rr * u.rDen) / (10000 * rb) - (g * (u.bNum - rb * u.bDen)) / (4000 * rb));
		// z = (−20/150 − (4/3)(−5)/60, 40/150 − (4/3)(15)/60, −20/150 − (4/3)(−10)/60) = (−1/45, −1/15, 4/45)
		expect(z[0]).toBeCloseTo(-1 / 45, 14);
		expect(z[1]).toBeCloseTo(-1 / 15, 14);
		expect(z[2]).toBeCloseTo(4 / 45, 14);
		const se = Math.sqrt((3 / 2) * (1 / 45 ** 2 + 9 / 45 ** 2 + 16 / 45 ** 2));
		const r = clusteredLift(units);
		expect(r.n).toBe(3);
		expect(r.lift).toBeCloseTo(1 / 3, 14);
		expect(r.se).toBeCloseTo(se, 14);
		const t = tQuantile(0.975, 2);
		expect(r.lower95).toBeCloseTo(1 / 3 - t * se, 12);
		expect(r.upper95).toBeCloseTo(1 / 3 + t * se, 12);
	});

	it('few units: no interval; no baseline clicks: no lift', () => {
		expect(clusteredLift(units.slice(0, 1))).toMatchObject({ n: 1, se: null, lower95: null });
		expect(clusteredLift(units.slice(0, 1)).lift).toBeCloseTo(0.5, 14);
		expect(clusteredLift([])).toMatchObject({ n: 0, lift: null });
		expect(clusteredLift([{ bNum: 0, bDen: 100, rNum: 3, rDen: 100 }]).lift).toBeNull();
	});

	it('covers a true zero lift about 95% of the time (heterogeneous SKUs, 40 per group)', () => {
		const rng = new Rng(11);
		let covered = 0;
		const reps = 600;
		for (let k = 0; k < reps; k++) {
			const us: LiftUnit[] = [];
			for (let i = 0; i < 40; i++) {
				const p = rng.uniform(0.005, 0.04) * rng.lognormal(-0.125, 0.5); // each SKU its own CTR
				const bDen = rng.int(2000, 20000);
				const rDen = rng.int(9000, 90000);
				us.push({ bNum: rng.binomial(bDen, Math.min(1, p * rng.lognormal(-0.02, 0.2))), bDen, rNum: rng.binomial(rDen, Math.min(1, p * rng.lognormal(-0.02, 0.2))), rDen });
			}
			const r = clusteredLift(us);
			// the ratio of expected sums is ~1 here; lognormal factors share their mean of 1 in both windows
			if (r.lower95! <= 0 && r.upper95! >= 0) covered++;
		}
		const rate = covered / reps;
		expect(rate).toBeGreaterThan(0.9);
		expect(rate).toBeLessThan(0.985);
	});
});

describe('didLift (difference in differences)', () => {
	it('(T_r/T_b)/(C_r/C_b) − 1', () => {
		const treated: LiftUnit[] = [
			{ bNum: 100, bDen: 10000, rNum: 130, rDen: 10000 },
			{ bNum: 50, bDen: 5000, rNum: 50, rDen: 5000 }
		];
		const control: LiftUnit[] = [
			{ bNum: 100, bDen: 10000, rNum: 110, rDen: 10000 },
			{ bNum: 200, bDen: 10000, rNum: 220, rDen: 10000 }
		];
		const d = didLift(treated, control);
		expect(d.treatedLift).toBeCloseTo(0.2, 14);
		expect(d.controlLift).toBeCloseTo(0.1, 14);
		expect(d.lift).toBeCloseTo(1.2 / 1.1 - 1, 14);
		expect(d.nTreated).toBe(2);
		// control units have identical lifts: no control variance, df = n_T − 1
		expect(d.df).toBeCloseTo(1, 12);
		expect(d.lower95!).toBeLessThan(d.lift!);
		expect(d.upper95!).toBeGreaterThan(d.lift!);
	});

	it('the same trend in both groups gives a zero DiD', () => {
		const g: LiftUnit[] = [
			{ bNum: 10, bDen: 1000, rNum: 24, rDen: 2000 },
			{ bNum: 30, bDen: 1000, rNum: 70, rDen: 2000 }
		];
		expect(didLift(g, g).lift).toBeCloseTo(0, 14);
	});
});
