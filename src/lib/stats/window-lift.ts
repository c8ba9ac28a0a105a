/**
 * Lift of a ratio of sums between two windows of days (baseline, result) for one SKU, with the
 * DAY as the unit of variance. See README.md in this folder for the formulas and why.
 */
import { tQuantile, tSf } from './distributions.ts';
import { welchDf } from './welch.ts';

export interface DayCounts {
	impressions: number;
	clicks: number;
	addToCart: number;
}

/** ctr = clicks / impressions; atc = add-to-cart / impressions (add-to-cart events per impression). */
export type RateMetric = 'ctr' | 'atc';

export interface WindowLift {
	baselineRate: number | null;
	resultRate: number | null;
	/** resultRate / baselineRate − 1 */
	lift: number | null;
	/** delta-method standard error of the lift */
	se: number | null;
	/** Welch–Satterthwaite degrees of freedom */
	df: number | null;
	/** one-sided 95% lower confidence bound: lift − t(0.95, df)·se */
	lower95: number | null;
	/** one-sided p-value of H0: lift ≤ 0 */
	pValue: number | null;
}

export interface RatioWindow {
	/** Σ numerator (clicks or add-to-carts) */
	num: number;
	/** Σ impressions */
	den: number;
	/** number of days, zero-impression days included */
	days: number;
	rate: number | null;
	/** delta-method variance of the rate: k/(k−1) · Σ (x_d − R·n_d)² / (Σ n)²; null when k < 2 or no impressions */
	variance: number | null;
}

function count(v: number, what: string): number {
	if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`${what} must be a whole number ≥ 0, got ${v}`);
	return v;
}

/**
 * Ratio of sums over days and its delta-method variance. The residual sum is computed exactly in
 * BigInt: (x_d − R·n_d)·N = x_d·N − X·n_d is an integer, so the result does not depend on the
 * order of the days (and matches a SQL re-computation to the last bit of the final division).
 */
export function ratioWindow(days: readonly DayCounts[], metric: RateMetric): RatioWindow {
	let num = 0;
	let den = 0;
	const xs: number[] = [];
	const ns: number[] = [];
	for (const d of days) {
		const x = count(metric === 'ctr' ? d.clicks : d.addToCart, metric === 'ctr' ? 'clicks' : 'addToCart');
		const n = count(d.impressions, 'impressions');
		xs.push(x);
		ns.push(n);
		num += x;
		den += n;
	}
	const k = days.length;
	if (den === 0) return { num, den, days: k, rate: null, variance: null };
	const rate = num / den;
	if (k < 2) return { num, den, days: k, rate, variance: null };
	const N = BigInt(den);
	const X = BigInt(num);
	let s = 0n;
	for (let i = 0; i < k; i++) {
		const e = BigInt(xs[i]) * N - X * BigInt(ns[i]);
		s += e * e;
	}
	// Σe² = s / N², so Var(R) = k/(k−1) · s / N⁴
	const variance = ((k / (k - 1)) * Number(s)) / den ** 4;
	return { num, den, days: k, rate, variance };
}

/** Delta-method lift of result over baseline, day as unit, Welch–Satterthwaite df, t quantile. */
export function windowLift(baseline: readonly DayCounts[], result: readonly DayCounts[], metric: RateMetric): WindowLift {
	return liftFromWindows(ratioWindow(baseline, metric), ratioWindow(result, metric));
}

/** withPValue = false leaves pValue null (a caller that does not read it skips one t tail). */
export function liftFromWindows(b: RatioWindow, r: RatioWindow, withPValue = true): WindowLift {
	const out: WindowLift = { baselineRate: b.rate, resultRate: r.rate, lift: null, se: null, df: null, lower95: null, pValue: null };
	if (b.rate === null || r.rate === null || b.rate === 0) return out;
	const g = r.rate / b.rate;
	out.lift = g - 1;
	if (b.variance === null || r.variance === null) return out;
	// Var(Rr/Rb) ≈ Var(Rr)/Rb² + Rr²·Var(Rb)/Rb⁴ (independent windows: different days)
	const vr = r.variance / (b.rate * b.rate);
	const vb = (r.rate * r.rate * b.variance) / b.rate ** 4;
	const se = Math.sqrt(vr + vb);
	out.se = se;
	const df = welchDf([
		{ variance: vr, df: r.days - 1 },
		{ variance: vb, df: b.days - 1 }
	]);
	out.df = df;
	if (df === null || se === 0) {
		// Every day had exactly the window's rate: the lift is known without sampling error.
		out.lower95 = out.lift;
		out.pValue = out.lift > 0 ? 0 : out.lift < 0 ? 1 : 0.5;
		return out;
	}
	out.lower95 = out.lift - tQuantile(0.95, df) * se;
	if (withPValue) out.pValue = tSf(out.lift / se, df);
	return out;
}
