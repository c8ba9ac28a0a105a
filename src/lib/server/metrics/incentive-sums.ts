/**
 * decideIncentive (src/lib/incentive.ts) from window SUMS instead of day arrays, so the billing job
 * and the dashboard need one row per order, not 37. The day-level delta-method variance is exact
 * from sums: Σ(x·N − X·n)² = N²·Σx² − 2·N·X·Σxn + X²·Σn² (BigInt, the same integer ratioWindow
 * sums day by day), so every figure and every decision is identical (tested against
 * decideIncentive on day arrays: test/integration/preagg/sums-decision.test.ts).
 * The steps and the explanation text mirror decideIncentive line by line; change both together.
 */
import { BASELINE_DAYS, MIN_WINDOW_IMPRESSIONS, RESULT_DAYS, incentiveWindows, tierRatePercent, type IncentiveDecision, type IncentiveReason, type WindowSummary } from '../../incentive.ts';
import { applyRatio, formatYuan, ratio } from '../../money.ts';
import { liftFromWindows, type RatioWindow } from '../../stats/window-lift.ts';
import { tQuantile } from '../../stats/distributions.ts';

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

const int = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const pct = (x: number | null, digits = 3) => (x === null ? 'n/a' : `${(x * 100).toFixed(digits)}%`);
const signedPct = (x: number | null) => (x === null ? 'n/a' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)}%`);
const summary = (s: WindowSums): WindowSummary => ({ impressions: s.n, clicks: s.x, ctr: s.n > 0 ? s.x / s.n : null });

export function decideIncentiveFromSums(input: SumsInput): IncentiveDecision {
	const imageFeeFen = input.imageFeeFen;
	if (!Number.isSafeInteger(imageFeeFen) || imageFeeFen < 0) throw new RangeError(`imageFeeFen must be whole fen ≥ 0, got ${imageFeeFen}`);
	const empty: WindowSummary = { impressions: 0, clicks: 0, ctr: null };
	const d: IncentiveDecision = {
		qualifies: false,
		reason: 'not_live',
		liveDay: input.liveDay,
		baselineFrom: null,
		baselineTo: null,
		resultFrom: null,
		resultTo: null,
		closeDay: null,
		closeMonth: null,
		baseline: empty,
		result: { ...empty },
		lift: null,
		lower95: null,
		se: null,
		df: null,
		tierRate: 0,
		imageFeeFen,
		amountFen: 0,
		explanation: []
	};
	const say = (line: string) => d.explanation.push(line);
	const stop = (reason: IncentiveReason, line: string) => {
		d.reason = reason;
		say(`No incentive: ${line}`);
		return d;
	};
	if (input.refunded) {
		if (input.liveDay !== null) Object.assign(d, incentiveWindows(input.liveDay));
		return stop('refunded', 'the order was refunded (provider fault), so it earns no incentive.');
	}
	if (input.liveDay === null) return stop('not_live', 'the order has not gone live on the listing.');
	const w = incentiveWindows(input.liveDay);
	Object.assign(d, w);
	d.baseline = summary(input.baseline);
	d.result = summary(input.result);
	const stats = liftFromWindows(ratioWindowFromSums(input.baseline, BASELINE_DAYS), ratioWindowFromSums(input.result, RESULT_DAYS));
	d.lift = stats.lift;
	d.se = stats.se;
	d.df = stats.df;
	d.lower95 = stats.lower95;

	say(`Live day ${input.liveDay} (Asia/Shanghai).`);
	say(`Baseline ${w.baselineFrom}…${w.baselineTo}: ${int(d.baseline.impressions)} impressions, ${int(d.baseline.clicks)} clicks, CTR ${pct(d.baseline.ctr)}`);
	say(`Result ${w.resultFrom}…${w.resultTo}: ${int(d.result.impressions)} impressions, ${int(d.result.clicks)} clicks, CTR ${pct(d.result.ctr)}`);

	if (!input.windowClosed) return stop('window_open', `the result window is still open; it closes at the end of ${w.closeDay} (billed in ${w.closeMonth}).`);
	say(`Result window closed on ${w.closeDay}; billed in ${w.closeMonth}.`);
	if (d.baseline.impressions < MIN_WINDOW_IMPRESSIONS)
		return stop('baseline_impressions', `baseline has ${int(d.baseline.impressions)} impressions, fewer than ${int(MIN_WINDOW_IMPRESSIONS)}.`);
	if (d.result.impressions < MIN_WINDOW_IMPRESSIONS)
		return stop('result_impressions', `result window has ${int(d.result.impressions)} impressions, fewer than ${int(MIN_WINDOW_IMPRESSIONS)}.`);
	if (d.baseline.clicks === 0) return stop('baseline_ctr_zero', 'the baseline CTR is 0, so a lift cannot be measured.');

	const t = stats.df === null ? null : tQuantile(0.95, stats.df);
	say(
		`Lift ${signedPct(stats.lift)} (result CTR ÷ baseline CTR − 1); standard error ${pct(stats.se, 2)} (delta method, day as unit)` +
			(stats.df === null
				? '; every day had the same CTR, so the lift has no sampling error'
				: `, ${stats.df.toFixed(1)} degrees of freedom (Welch–Satterthwaite), t(0.95) = ${t!.toFixed(3)}`) +
			`; one-sided 95% lower bound ${signedPct(stats.lower95)}.`
	);
	if (!(stats.lower95! > 0)) return stop('not_significant', `the lower bound ${signedPct(stats.lower95)} is not above 0: the lift is not distinguishable from day-to-day variation.`);
	say('The lower bound is above 0: the lift is statistically significant.');

	const rate = tierRatePercent(d.result.clicks, d.result.impressions, d.baseline.clicks, d.baseline.impressions);
	if (rate === 0) return stop('below_tier', `the lift ${signedPct(stats.lift)} is below 5%, the first tier.`);
	const tierText = rate === 10 ? '5% to below 15%' : rate === 20 ? '15% to below 30%' : '30% or more';
	say(`Tier: lift ${tierText} → ${rate}% of the image fee.`);
	d.tierRate = rate;
	d.amountFen = applyRatio(imageFeeFen, ratio(rate, 100));
	d.qualifies = true;
	d.reason = 'qualifies';
	say(`Incentive: ¥${formatYuan(imageFeeFen)} × ${rate}% = ¥${formatYuan(d.amountFen)} (rounded half up to the fen), billed in ${w.closeMonth}.`);
	return d;
}
