/**
 * decideIncentive (src/lib/incentive.ts) from window SUMS instead of day arrays, so the billing job
 * and the dashboard need one row per order, not 37. The day-level delta-method variance is exact
 * from sums: Σ(x·N − X·n)² = N²·Σx² − 2·N·X·Σxn + X²·Σn² (BigInt, the same integer ratioWindow
 * sums day by day), so every figure and every decision is identical (tested against
 * decideIncentive on day arrays: test/integration/preagg/sums-decision.test.ts).
 * The rule itself is decideIncentiveWith in src/lib/incentive.ts; this file only supplies the evidence.
 */
import { BASELINE_DAYS, RESULT_DAYS, decideIncentiveWith, type IncentiveDecision, type WindowSummary } from '../../incentive.ts';
import { liftFromWindows, type RatioWindow } from '../../stats/window-lift.ts';

/** Sums over one window of `days` days (zero-filled): n = impressions, x = clicks or add-to-carts. */
export interface WindowSums {
	n: number;
	x: number;
	nn: number;
	xx: number;
	xn: number;
}

export interface SumsInput {
	liveDay: string | null;
	refunded: boolean;
	imageFeeFen: number;
	baseline: WindowSums;
	result: WindowSums;
	windowClosed: boolean;
}

/** ratioWindow of stats/window-lift.ts from sums. */
export function ratioWindowFromSums(s: WindowSums, days: number): RatioWindow {
	const { n: den, x: num } = s;
	if (den === 0) return { num, den, days, rate: null, variance: null };
	const rate = num / den;
	if (days < 2) return { num, den, days, rate, variance: null };
	const N = BigInt(den);
	const X = BigInt(num);
	const e2 = N * N * BigInt(s.xx) - 2n * N * X * BigInt(s.xn) + X * X * BigInt(s.nn);
	const variance = ((days / (days - 1)) * Number(e2)) / den ** 4;
	return { num, den, days, rate, variance };
}

const summary = (s: WindowSums): WindowSummary => ({ impressions: s.n, clicks: s.x, ctr: s.n > 0 ? s.x / s.n : null });

export function decideIncentiveFromSums(input: SumsInput): IncentiveDecision {
	return decideIncentiveWith(input, () => ({
		baseline: summary(input.baseline),
		result: summary(input.result),
		// the decision reads lift, se, df and lower95, never the p-value
		stats: liftFromWindows(ratioWindowFromSums(input.baseline, BASELINE_DAYS), ratioWindowFromSums(input.result, RESULT_DAYS), false)
	}));
}
