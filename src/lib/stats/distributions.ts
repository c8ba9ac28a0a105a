/**
 * Normal and Student t distributions: CDF, upper tail (survival) and quantile. The t
 * distribution accepts non-integer degrees of freedom (Welch–Satterthwaite gives those).
 */
import { erfc, lnGamma, regularizedBeta } from './special.ts';

const SQRT2 = Math.SQRT2;

export function normalCdf(z: number): number {
	return 0.5 * erfc(-z / SQRT2);
}

/** P(Z > z), without the cancellation of 1 − Φ(z) in the upper tail. */
export function normalSf(z: number): number {
	return 0.5 * erfc(z / SQRT2);
}

export function normalPdf(z: number): number {
	return Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
}

/** Φ⁻¹(p): Abramowitz–Stegun 26.2.23 start, polished by Halley steps on the exact CDF. */
export function normalQuantile(p: number): number {
	checkProbability(p);
	if (p === 0) return -Infinity;
	if (p === 1) return Infinity;
	if (p === 0.5) return 0;
	const lower = p < 0.5;
	const q = lower ? p : 1 - p; // tail probability
	const t = Math.sqrt(-2 * Math.log(q));
	let x = t - (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t);
	// x is now the upper-tail quantile for q; refine on the tail (P(Z > x) = q)
	for (let i = 0; i < 4; i++) {
		const e = normalSf(x) - q;
		const u = e / normalPdf(x);
		const step = u / (1 - (x * u) / 2); // Halley, sign flipped for the survival function
		x += step;
		if (Math.abs(step) < 1e-15 * Math.max(1, Math.abs(x))) break;
	}
	return lower ? -x : x;
}

const NORMAL_DF = 1e7; // beyond this the t and normal quantiles agree to ~1e-8

function checkDf(df: number) {
	if (!(df > 0)) throw new RangeError(`degrees of freedom must be > 0, got ${df}`);
}

function checkProbability(p: number) {
	if (!(p >= 0 && p <= 1)) throw new RangeError(`probability must be in [0, 1], got ${p}`);
}

/** P(T > t) for Student's t with df degrees of freedom. */
export function tSf(t: number, df: number): number {
	checkDf(df);
	if (Number.isNaN(t)) return NaN;
	if (t === Infinity) return 0;
	if (t === -Infinity) return 1;
	if (df >= NORMAL_DF) return normalSf(t);
	const tail = 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5); // P(T > |t|)
	return t >= 0 ? tail : 1 - tail;
}

export function tCdf(t: number, df: number): number {
	checkDf(df);
	if (Number.isNaN(t)) return NaN;
	if (t === Infinity) return 1;
	if (t === -Infinity) return 0;
	if (df >= NORMAL_DF) return normalCdf(t);
	const tail = 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5);
	return t >= 0 ? 1 - tail : tail;
}

export function tPdf(t: number, df: number): number {
	checkDf(df);
	const ln = lnGamma((df + 1) / 2) - lnGamma(df / 2) - 0.5 * Math.log(df * Math.PI) - ((df + 1) / 2) * Math.log1p((t * t) / df);
	return Math.exp(ln);
}

// The last answer of tQuantile: a decision asks for t(0.95, df) twice with the same df (the bound,
// then its explanation). A pure function, so the remembered value is the very same double.
let lastP = NaN;
let lastDf = NaN;
let lastQ = NaN;

/** The p-quantile of Student's t (Cornish–Fisher start, Newton steps kept inside a bracket). */
export function tQuantile(p: number, df: number): number {
	if (p === lastP && df === lastDf) return lastQ;
	const q = tQuantileOf(p, df);
	lastP = p;
	lastDf = df;
	lastQ = q;
	return q;
}

function tQuantileOf(p: number, df: number): number {
	checkProbability(p);
	checkDf(df);
	if (p === 0) return -Infinity;
	if (p === 1) return Infinity;
	if (p === 0.5) return 0;
	if (p < 0.5) return -tQuantileOf(1 - p, df);
	if (df >= NORMAL_DF) return normalQuantile(p);
	if (df === 1) return Math.tan(Math.PI * (p - 0.5));
	if (df === 2) return (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
	const q = 1 - p; // target upper tail
	const z = normalQuantile(p);
	const z2 = z * z;
	let x = z + (z * (z2 + 1)) / (4 * df) + (z * (5 * z2 * z2 + 16 * z2 + 3)) / (96 * df * df);
	let lo = 0;
	let hi = Infinity;
	for (let i = 0; i < 100; i++) {
		const e = tSf(x, df) - q; // decreasing in x
		if (e > 0) lo = x;
		else hi = x;
		let next = x + e / tPdf(x, df);
		if (!(next > lo && next < hi)) next = Number.isFinite(hi) ? (lo + hi) / 2 : Math.max(2 * x, lo + 1);
		if (Math.abs(next - x) <= 1e-14 * Math.max(1, Math.abs(x))) return next;
		x = next;
	}
	return x;
}
