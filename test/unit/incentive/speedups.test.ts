/**
 * The incentive decision was made cheaper (it is stored for every live order at load time) without
 * changing a bit of its output: tQuantile remembers its last answer (a decision asks for t(0.95, df)
 * twice), and the decision's window lift skips the p-value it never reads. Properties: the
 * remembered value is the very double a cold computation gives, and the lift without p-value equals
 * the lift with it in every other field.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INCENTIVE_RULE_VERSION } from '../../../src/lib/incentive.ts';
import { tQuantile } from '../../../src/lib/stats/distributions.ts';
import { liftFromWindows } from '../../../src/lib/stats/window-lift.ts';
import { ratioWindowFromSums, decideIncentiveFromSums, type WindowSums } from '../../../src/lib/server/metrics/incentive-sums.ts';

const df = fc.double({ min: 0.5, max: 200, noNaN: true });
const p = fc.constantFrom(0.95, 0.975, 0.9, 0.05, 0.5, 0.99);

/** Day-level window sums that some real days could give (Σn² ≥ (Σn)²/k etc. are not needed by the formulas). */
const windowSums = (days: number) =>
	fc.array(fc.record({ n: fc.integer({ min: 0, max: 5000 }), x: fc.integer({ min: 0, max: 200 }) }), { minLength: days, maxLength: days }).map(
		(ds): WindowSums => ({
			n: ds.reduce((a, d) => a + d.n, 0),
			x: ds.reduce((a, d) => a + Math.min(d.x, d.n), 0),
			nn: ds.reduce((a, d) => a + d.n * d.n, 0),
			xx: ds.reduce((a, d) => a + Math.min(d.x, d.n) ** 2, 0),
			xn: ds.reduce((a, d) => a + Math.min(d.x, d.n) * d.n, 0)
		})
	);

describe('incentive speed-ups are bit-identical', () => {
	it('tQuantile: a remembered answer is the double a cold computation gives', () => {
		fc.assert(
			fc.property(p, df, p, df, (p1, d1, p2, d2) => {
				const cold = tQuantile(p1, d1); // computed (the last call was another)
				const warm = tQuantile(p1, d1); // remembered
				tQuantile(p2, d2);
				const again = tQuantile(p1, d1); // computed again unless (p2, d2) = (p1, d1)
				return Object.is(cold, warm) && Object.is(cold, again);
			}),
			{ numRuns: 500 }
		);
	});

	it('liftFromWindows without the p-value equals it with, field by field', () => {
		fc.assert(
			fc.property(windowSums(7), windowSums(30), (b, r) => {
				const bw = ratioWindowFromSums(b, 7);
				const rw = ratioWindowFromSums(r, 30);
				const full = liftFromWindows(bw, rw);
				const lean = liftFromWindows(bw, rw, false);
				expect(lean).toStrictEqual({ ...full, pValue: null });
			}),
			{ numRuns: 300 }
		);
	});

	it('decideIncentiveFromSums is deterministic across repeated and interleaved calls', () => {
		fc.assert(
			fc.property(windowSums(7), windowSums(30), windowSums(7), windowSums(30), fc.integer({ min: 0, max: 500_000 }), (b1, r1, b2, r2, fee) => {
				const input = (baseline: WindowSums, result: WindowSums) => ({ liveDay: '2026-05-03', refunded: false, imageFeeFen: fee, baseline, result, windowClosed: true });
				const first = decideIncentiveFromSums(input(b1, r1));
				decideIncentiveFromSums(input(b2, r2));
				expect(decideIncentiveFromSums(input(b1, r1))).toStrictEqual(first);
			}),
			{ numRuns: 200 }
		);
	});
});

describe('INCENTIVE_RULE_VERSION', () => {
	// The stored decisions (preagg incentive_decisions) are rebuilt only when the version changes:
	// any change to the rule's sources must bump it (and then update the hash here).
	const SOURCES = [
		'src/lib/incentive.ts',
		'src/lib/server/metrics/incentive-sums.ts',
		'src/lib/stats/window-lift.ts',
		'src/lib/stats/distributions.ts',
		'src/lib/stats/special.ts',
		'src/lib/stats/welch.ts',
		'src/lib/money.ts'
	];
	it('is pinned to the rule sources it was set for', () => {
		const h = createHash('sha256');
		for (const f of SOURCES) {
			h.update(fs.readFileSync(f));
			h.update('\0');
		}
		expect({ version: INCENTIVE_RULE_VERSION, sources: h.digest('hex').slice(0, 16) }).toEqual({ version: 1, sources: '4b9008f6e303d6f3' });
	});
});
