/**
 * The performance incentive (效果激励金) decision for one order, as domain.md "Performance
 * incentive" states it. Pure: the caller loads the 7 + 30 zero-filled days and decides whether
 * the window is closed (bill: L+29 ≤ last day of the month billed; dashboard: L+29 < today).
 *
 * The significance test is the day-level delta method of stats/window-lift.ts (one-sided 95%
 * lower bound > 0); the tier is decided exactly in BigInt, so a lift of exactly 15% is 20%.
 */
import { addDays } from './calendar.ts';
import { applyRatio, formatYuan, ratio } from './money.ts';
import { windowLift, type DayCounts } from './stats/window-lift.ts';
import { tQuantile } from './stats/distributions.ts';

export type { DayCounts } from './stats/window-lift.ts';

export type IncentiveReason =
	| 'not_live'
	| 'refunded'
	| 'window_open'
	| 'baseline_impressions'
	| 'result_impressions'
	| 'baseline_ctr_zero'
	| 'not_significant'
	| 'below_tier'
	| 'qualifies';

export type TierRate = 0 | 10 | 20 | 30;

/**
 * Version of the rule's output: the stored decisions (preagg incentive_decisions, a cache of
 * decideIncentiveFromSums) are rebuilt when it changes. Bump it with any change to this file, the
 * window statistics (stats/) or incentive-sums.ts; test/unit/incentive/rule-version.test.ts pins
 * the sources' hash to it so a change cannot slip by.
 */
export const INCENTIVE_RULE_VERSION = 1;

export const BASELINE_DAYS = 7;
export const RESULT_DAYS = 30;
export const MIN_WINDOW_IMPRESSIONS = 1000;
/** Tier lower bounds in percent of lift, highest first. */
export const TIERS: ReadonlyArray<{ minLiftPercent: number; rate: TierRate }> = [
	{ minLiftPercent: 30, rate: 30 },
	{ minLiftPercent: 15, rate: 20 },
	{ minLiftPercent: 5, rate: 10 }
];

export interface IncentiveInput {
	/** Asia/Shanghai YYYY-MM-DD of live_at; null when the order never went live */
	liveDay: string | null;
	refunded: boolean;
	imageFeeFen: number;
	/** exactly 7 days, L−7 … L−1, zero-filled */
	baseline: DayCounts[];
	/** exactly 30 days, L … L+29, zero-filled */
	result: DayCounts[];
	windowClosed: boolean;
}

export interface WindowSummary {
	impressions: number;
	clicks: number;
	ctr: number | null;
}

export interface IncentiveWindows {
	baselineFrom: string;
	baselineTo: string;
	resultFrom: string;
	resultTo: string;
	/** L+29, the last day of the result window */
	closeDay: string;
	/** YYYY-MM of closeDay: the month the incentive is billed in */
	closeMonth: string;
}

export interface IncentiveDecision {
	qualifies: boolean;
	reason: IncentiveReason;
	liveDay: string | null;
	baselineFrom: string | null;
	baselineTo: string | null;
	resultFrom: string | null;
	resultTo: string | null;
	closeDay: string | null;
	closeMonth: string | null;
	baseline: WindowSummary;
	result: WindowSummary;
	lift: number | null;
	lower95: number | null;
	se: number | null;
	df: number | null;
	tierRate: TierRate;
	imageFeeFen: number;
	amountFen: number;
	explanation: string[];
}

export function incentiveWindows(liveDay: string): IncentiveWindows {
	const closeDay = addDays(liveDay, RESULT_DAYS - 1);
	return {
		baselineFrom: addDays(liveDay, -BASELINE_DAYS),
		baselineTo: addDays(liveDay, -1),
		resultFrom: liveDay,
		resultTo: closeDay,
		closeDay,
		closeMonth: closeDay.slice(0, 7)
	};
}

function wholeCount(v: number, what: string): bigint {
	if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`${what} must be a whole number ≥ 0, got ${v}`);
	return BigInt(v);
}

/**
 * The incentive rate for a lift, compared exactly: lift ≥ T% ⇔ (cr/ir)/(cb/ib) ≥ 1 + T/100
 * ⇔ 100·cr·ib ≥ (100+T)·cb·ir. Degenerate windows (no impressions, no baseline clicks) give 0.
 */
export function tierRatePercent(resultClicks: number, resultImpr: number, baselineClicks: number, baselineImpr: number): TierRate {
	const cr = wholeCount(resultClicks, 'resultClicks');
	const ir = wholeCount(resultImpr, 'resultImpr');
	const cb = wholeCount(baselineClicks, 'baselineClicks');
	const ib = wholeCount(baselineImpr, 'baselineImpr');
	if (ir === 0n || ib === 0n || cb === 0n) return 0;
	for (const { minLiftPercent, rate } of TIERS) {
		if (100n * cr * ib >= BigInt(100 + minLiftPercent) * cb * ir) return rate;
	}
	return 0;
}

const int = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const pct = (x: number | null, digits = 3) => (x === null ? 'n/a' : `${(x * 100).toFixed(digits)}%`);
const signedPct = (x: number | null) => (x === null ? 'n/a' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)}%`);

function summarise(days: readonly DayCounts[]): WindowSummary {
	let impressions = 0;
	let clicks = 0;
	for (const d of days) {
		impressions += d.impressions;
		clicks += d.clicks;
	}
	return { impressions, clicks, ctr: impressions > 0 ? clicks / impressions : null };
}

/** What the windows show: their sums and the lift statistics, however they were obtained. */
export interface WindowEvidence {
	baseline: WindowSummary;
	result: WindowSummary;
	stats: { lift: number | null; se: number | null; df: number | null; lower95: number | null };
}

export type DecisionFacts = Omit<IncentiveInput, 'baseline' | 'result'>;

/** decideIncentive from day arrays (7 baseline days, 30 result days, zero-filled). */
export function decideIncentive(input: IncentiveInput): IncentiveDecision {
	return decideIncentiveWith(input, () => {
		if (input.baseline.length !== BASELINE_DAYS) throw new RangeError(`baseline must hold ${BASELINE_DAYS} days (zero-filled), got ${input.baseline.length}`);
		if (input.result.length !== RESULT_DAYS) throw new RangeError(`result must hold ${RESULT_DAYS} days (zero-filled), got ${input.result.length}`);
		return { baseline: summarise(input.baseline), result: summarise(input.result), stats: windowLift(input.baseline, input.result, 'ctr') };
	});
}

/**
 * THE incentive rule, once: every caller (day arrays above, window sums in
 * src/lib/server/metrics/incentive-sums.ts) supplies the window evidence, this decides.
 * Checks in order (the first failing one is the reason): refunded, not live, window open,
 * baseline ≥ 1,000 impressions, result ≥ 1,000 impressions, baseline CTR > 0, lower bound > 0,
 * lift ≥ 5%. Refunded comes before not live: a refunded order never goes live, and "refunded"
 * is the more useful answer to a seller. Figures are filled in as far as the input allows, also
 * for orders that do not qualify, so a dashboard can show them. `evidence` is only called for a
 * live, unrefunded order (others may come without window data).
 */
export function decideIncentiveWith(input: DecisionFacts, evidence: () => WindowEvidence): IncentiveDecision {
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
	const ev = evidence();
	d.baseline = ev.baseline;
	d.result = ev.result;
	const stats = ev.stats;
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
