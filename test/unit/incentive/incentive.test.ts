import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decideIncentive, incentiveWindows, tierRatePercent, type IncentiveInput } from '../../../src/lib/incentive.ts';
import { alternating, day, noisyBaseline, steadyBaseline } from './helpers.ts';

const base = (over: Partial<IncentiveInput> = {}): IncentiveInput => ({
	liveDay: '2026-03-08',
	refunded: false,
	imageFeeFen: 22797,
	baseline: noisyBaseline(),
	result: alternating(26, 22),
	windowClosed: true,
	...over
});

describe('incentiveWindows', () => {
	it('live 2026-03-08: baseline 03-01…03-07, result 03-08…04-06, billed 2026-04', () => {
		expect(incentiveWindows('2026-03-08')).toEqual({
			baselineFrom: '2026-03-01',
			baselineTo: '2026-03-07',
			resultFrom: '2026-03-08',
			resultTo: '2026-04-06',
			closeDay: '2026-04-06',
			closeMonth: '2026-04'
		});
	});
	it('across the year end: live 2026-12-10 closes 2027-01-08, billed 2027-01', () => {
		expect(incentiveWindows('2026-12-10')).toMatchObject({ closeDay: '2027-01-08', closeMonth: '2027-01' });
	});
	it('baseline across the year start: live 2026-01-03 → 2025-12-27…2026-01-02', () => {
		expect(incentiveWindows('2026-01-03')).toMatchObject({ baselineFrom: '2025-12-27', baselineTo: '2026-01-02', closeDay: '2026-02-01' });
	});
	it('leap February: live 2024-02-01 closes 2024-03-01; 2026-02-01 closes 2026-03-02', () => {
		expect(incentiveWindows('2024-02-01').closeDay).toBe('2024-03-01');
		expect(incentiveWindows('2026-02-01').closeDay).toBe('2026-03-02');
	});
	it('live on the 2nd closes inside the next month; live on the 1st of a 31-day month stays in it', () => {
		expect(incentiveWindows('2026-01-01')).toMatchObject({ closeDay: '2026-01-30', closeMonth: '2026-01' });
		expect(incentiveWindows('2026-01-02')).toMatchObject({ closeDay: '2026-01-31', closeMonth: '2026-01' });
		expect(incentiveWindows('2026-01-03')).toMatchObject({ closeDay: '2026-02-01', closeMonth: '2026-02' });
	});
});

describe('tierRatePercent (exact)', () => {
	it('bounds land in the higher tier, where floats would misplace them', () => {
		// (115/10000)/(100/10000) − 1 is 0.1499999999999999 in floating point
		expect(115 / 10000 / (100 / 10000) - 1 < 0.15).toBe(true);
		expect(tierRatePercent(115, 10000, 100, 10000)).toBe(20);
		expect(780 / 30000 / (140 / 7000) - 1 < 0.3).toBe(true);
		expect(tierRatePercent(780, 30000, 140, 7000)).toBe(30);
		expect(tierRatePercent(105, 100, 100, 100)).toBe(10);
	});
	it('just below each bound stays in the lower tier', () => {
		expect(tierRatePercent(11499, 1000000, 100, 10000)).toBe(10); // 1.1499% / 1% → 14.99%
		expect(tierRatePercent(114999999, 1e9, 100, 1000)).toBe(10); // 14.9999999%
		expect(tierRatePercent(129, 1000, 100, 1000)).toBe(20);
		expect(tierRatePercent(104, 1000, 100, 1000)).toBe(0);
		expect(tierRatePercent(100, 1000, 100, 1000)).toBe(0);
		expect(tierRatePercent(90, 1000, 100, 1000)).toBe(0);
	});
	it('degenerate windows give 0; bad counts throw', () => {
		expect(tierRatePercent(10, 1000, 0, 1000)).toBe(0);
		expect(tierRatePercent(10, 0, 10, 1000)).toBe(0);
		expect(() => tierRatePercent(1.5, 1000, 10, 1000)).toThrow(RangeError);
	});
	it('agrees with exact rational arithmetic, also on constructed boundaries', () => {
		const oracle = (cr: bigint, ir: bigint, cb: bigint, ib: bigint) => {
			// lift = (cr·ib − cb·ir)/(cb·ir); lift ≥ T/100 ⇔ 100·(cr·ib − cb·ir) ≥ T·cb·ir
			const num = cr * ib - cb * ir;
			const den = cb * ir;
			if (100n * num >= 30n * den) return 30;
			if (100n * num >= 15n * den) return 20;
			if (100n * num >= 5n * den) return 10;
			return 0;
		};
		const n = fc.integer({ min: 1, max: 5_000_000 });
		fc.assert(
			fc.property(n, n, n, n, (cr, ir, cb, ib) => {
				expect(tierRatePercent(cr, ir, cb, ib)).toBe(oracle(BigInt(cr), BigInt(ir), BigInt(cb), BigInt(ib)));
			})
		);
		// exact boundaries: cr = (100+T)·cb·ir/(100·ib), made integral by choosing ir a multiple of 100·ib
		fc.assert(
			fc.property(fc.integer({ min: 1, max: 10_000 }), fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 50 }), fc.constantFrom(5, 15, 30), (cb, ib, m, t) => {
				const ir = 100 * ib * m;
				const cr = (100 + t) * cb * m;
				const expected = t === 5 ? 10 : t === 15 ? 20 : 30;
				expect(tierRatePercent(cr, ir, cb, ib)).toBe(expected);
				expect(tierRatePercent(cr - 1, ir, cb, ib)).toBe(expected - 10);
			})
		);
	});
});

describe('decideIncentive', () => {
	it('hand-worked qualifying order: lift +20%, bound above 0, 20% tier', () => {
		const d = decideIncentive(base());
		expect(d).toMatchObject({
			qualifies: true,
			reason: 'qualifies',
			baselineFrom: '2026-03-01',
			closeDay: '2026-04-06',
			closeMonth: '2026-04',
			baseline: { impressions: 7000, clicks: 140, ctr: 0.02 },
			result: { impressions: 30000, clicks: 720, ctr: 0.024 },
			tierRate: 20,
			imageFeeFen: 22797,
			amountFen: 4559 // 22797 × 0.2 = 4559.4
		});
		expect(d.lift).toBeCloseTo(0.2, 12);
		expect(d.se).toBeCloseTo(0.03467, 5);
		expect(d.df).toBeCloseTo(11.416, 3);
		expect(d.lower95).toBeCloseTo(0.138, 3);
		expect(d.explanation).toContain('Baseline 2026-03-01…2026-03-07: 7,000 impressions, 140 clicks, CTR 2.000%');
		expect(d.explanation).toContain('Result 2026-03-08…2026-04-06: 30,000 impressions, 720 clicks, CTR 2.400%');
		expect(d.explanation.at(-1)).toBe('Incentive: ¥227.97 × 20% = ¥45.59 (rounded half up to the fen), billed in 2026-04.');
	});

	it('exactly +15% (0.1499999… in floats) is the 20% tier', () => {
		const d = decideIncentive(base({ result: alternating(25, 21) })); // 690 clicks
		expect(d.lift! < 0.15).toBe(true);
		expect(d).toMatchObject({ qualifies: true, tierRate: 20, amountFen: 4559 });
	});

	it('exactly +30% is the 30% tier; exactly +5% (significant) is the 10% tier', () => {
		expect(decideIncentive(base({ result: alternating(28, 24) }))).toMatchObject({ qualifies: true, tierRate: 30, amountFen: 6839 }); // 6839.1
		const five = decideIncentive(base({ baseline: steadyBaseline(), result: alternating(23, 19) })); // 630 clicks
		expect(five.lower95!).toBeGreaterThan(0);
		expect(five).toMatchObject({ qualifies: true, tierRate: 10, amountFen: 2280 }); // 2279.7 → 2280
	});

	it('amounts round half up once: 22795 × 10% = 2279.5 → 2280; 22794 → 2279', () => {
		const inp = { baseline: steadyBaseline(), result: alternating(23, 19) };
		expect(decideIncentive(base({ ...inp, imageFeeFen: 22795 })).amountFen).toBe(2280);
		expect(decideIncentive(base({ ...inp, imageFeeFen: 22794 })).amountFen).toBe(2279);
	});

	it('+14.83% with a bound above 0 is the 10% tier', () => {
		const d = decideIncentive(base({ baseline: steadyBaseline(), result: alternating(25, 21).map((x, i) => (i === 0 ? day(1000, 24) : x)) })); // 689 clicks
		expect(d.lift).toBeCloseTo(689 / 600 - 1, 12);
		expect(d).toMatchObject({ qualifies: true, tierRate: 10 });
	});

	describe('each reason not to pay', () => {
		it('not live', () => {
			const d = decideIncentive(base({ liveDay: null, baseline: [], result: [] }));
			expect(d).toMatchObject({ qualifies: false, reason: 'not_live', amountFen: 0, tierRate: 0, closeDay: null, lift: null });
		});
		it('refunded (also when the bad input has a live day)', () => {
			expect(decideIncentive(base({ refunded: true, liveDay: null, baseline: [], result: [] })).reason).toBe('refunded');
			expect(decideIncentive(base({ refunded: true }))).toMatchObject({ reason: 'refunded', amountFen: 0, closeMonth: '2026-04' });
		});
		it('window still open: figures shown, nothing paid', () => {
			const d = decideIncentive(base({ windowClosed: false }));
			expect(d).toMatchObject({ qualifies: false, reason: 'window_open', amountFen: 0, tierRate: 0 });
			expect(d.lift).toBeCloseTo(0.2, 12);
		});
		it('fewer than 1,000 baseline impressions (999)', () => {
			const bl = [day(999, 20), ...Array.from({ length: 6 }, () => day(0, 0))];
			expect(decideIncentive(base({ baseline: bl })).reason).toBe('baseline_impressions');
			const ok = [day(1000, 20), ...Array.from({ length: 6 }, () => day(0, 0))];
			expect(decideIncentive(base({ baseline: ok })).reason).not.toBe('baseline_impressions');
		});
		it('fewer than 1,000 result impressions', () => {
			const r = Array.from({ length: 30 }, (_, i) => day(i < 27 ? 37 : 0, 1)); // 999
			expect(decideIncentive(base({ result: r })).reason).toBe('result_impressions');
		});
		it('baseline CTR zero', () => {
			const b = Array.from({ length: 7 }, () => day(1000, 0));
			expect(decideIncentive(base({ baseline: b }))).toMatchObject({ reason: 'baseline_ctr_zero', lift: null });
		});
		it('not significant: +5% on a noisy week', () => {
			const d = decideIncentive(base({ result: alternating(23, 19) }));
			expect(d.lift).toBeCloseTo(0.05, 12);
			expect(d.lower95!).toBeLessThanOrEqual(0);
			expect(d).toMatchObject({ qualifies: false, reason: 'not_significant', tierRate: 0, amountFen: 0 });
		});
		it('significant but below 5%: +4%', () => {
			const d = decideIncentive(base({ baseline: steadyBaseline(), result: Array.from({ length: 30 }, () => day(1000, 21)).map((x, i) => (i < 6 ? day(1000, 20) : x)) }));
			// 6×20 + 24×21 = 624 clicks / 30,000 = 2.08%, lift +4%
			expect(d.lift).toBeCloseTo(0.04, 12);
			expect(d.lower95!).toBeGreaterThan(0);
			expect(d).toMatchObject({ qualifies: false, reason: 'below_tier', tierRate: 0, amountFen: 0 });
		});
		it('a lower lift than baseline is never paid', () => {
			expect(decideIncentive(base({ result: alternating(16, 14) })).reason).toBe('not_significant');
		});
	});

	it('checks its input', () => {
		expect(() => decideIncentive(base({ baseline: noisyBaseline().slice(1) }))).toThrow(/7 days/);
		expect(() => decideIncentive(base({ result: alternating(1, 1).slice(1) }))).toThrow(/30 days/);
		expect(() => decideIncentive(base({ imageFeeFen: 12.5 }))).toThrow(RangeError);
	});
});
