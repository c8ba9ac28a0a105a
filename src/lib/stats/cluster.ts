/**
 * Lift across many orders (a category, provider or month) with the ORDER/SKU as the unit, and a
 * difference-in-differences variant. Formulas in README.md.
 *
 * Intervals here are two-sided 95% (t(0.975)), p-values two-sided: dashboards describe a lift,
 * they do not decide a payment (the one-sided test is in window-lift.ts, for incentives).
 */
import { tQuantile, tSf } from './distributions.ts';
import { welchDf } from './welch.ts';

export interface LiftUnit {
	/** baseline numerator (clicks or add-to-carts) and denominator (impressions) */
	bNum: number;
	bDen: number;
	/** result numerator and denominator */
	rNum: number;
	rDen: number;
}

export interface ClusteredLift {
	lift: number | null;
	lower95: number | null;
	upper95: number | null;
	se: number | null;
	n: number;
	pValue: number | null;
}

export interface DidLift {
	lift: number | null;
	lower95: number | null;
	upper95: number | null;
	se: number | null;
	df: number | null;
	pValue: number | null;
	/** the two groups' own lifts, each ratio of sums result ÷ baseline − 1 */
	treatedLift: number | null;
	controlLift: number | null;
	nTreated: number;
	nControl: number;
}

interface RatioOfRatios {
	/** g = (ΣrNum/ΣrDen) / (ΣbNum/ΣbDen) */
	g: number | null;
	/** delta-method variance of g with units as clusters; null when n < 2 */
	variance: number | null;
	n: number;
}

function ratioOfRatios(units: readonly LiftUnit[]): RatioOfRatios {
	let bn = 0;
	let bd = 0;
	let rn = 0;
	let rd = 0;
	for (const u of units) {
		for (const v of [u.bNum, u.bDen, u.rNum, u.rDen]) if (!(v >= 0) || !Number.isFinite(v)) throw new RangeError(`unit sums must be finite and ≥ 0, got ${v}`);
		bn += u.bNum;
		bd += u.bDen;
		rn += u.rNum;
		rd += u.rDen;
	}
	const n = units.length;
	if (bd === 0 || rd === 0 || bn === 0) return { g: null, variance: null, n };
	const rb = bn / bd;
	const rr = rn / rd;
	const g = rr / rb;
	if (n < 2) return { g, variance: null, n };
	// Influence of unit i on g: ∂g = ∂Rr/Rb − g·∂Rb/Rb, with ∂R_i = (num_i − R·den_i)/Σden.
	// Both windows of one unit enter the same term, so their covariance (same SKU) is kept.
	let s = 0;
	for (const u of units) {
		const z = (u.rNum - rr * u.rDen) / (rd * rb) - (g * (u.bNum - rb * u.bDen)) / (bd * rb);
		s += z * z;
	}
	return { g, variance: (n / (n - 1)) * s, n };
}

function interval(lift: number, se: number, df: number) {
	if (se === 0) return { lower95: lift, upper95: lift, pValue: lift === 0 ? 1 : 0 };
	const t = tQuantile(0.975, df);
	return { lower95: lift - t * se, upper95: lift + t * se, pValue: Math.min(1, 2 * tSf(Math.abs(lift) / se, df)) };
}

/** Ratio-of-sums lift over units, delta-method SE with the unit as cluster, t with n − 1 df. */
export function clusteredLift(units: readonly LiftUnit[]): ClusteredLift {
	return clusteredFrom(ratioOfRatios(units));
}

function clusteredFrom({ g, variance, n }: RatioOfRatios): ClusteredLift {
	const out: ClusteredLift = { lift: g === null ? null : g - 1, lower95: null, upper95: null, se: null, n, pValue: null };
	if (g === null || variance === null) return out;
	out.se = Math.sqrt(variance);
	return { ...out, ...interval(g - 1, out.se, n - 1) };
}

/**
 * Difference in differences: (T_r/T_b) / (C_r/C_b) − 1, treated and control being independent
 * groups of units (e.g. orders with new images vs comparable SKUs without). Variance by the delta
 * method on the ratio of the two groups' ratios, Welch–Satterthwaite df from n_T − 1 and n_C − 1.
 */
export function didLift(treated: readonly LiftUnit[], control: readonly LiftUnit[]): DidLift {
	return didFrom(ratioOfRatios(treated), ratioOfRatios(control));
}

function didFrom(t: RatioOfRatios, c: RatioOfRatios): DidLift {
	const out: DidLift = {
		lift: null,
		lower95: null,
		upper95: null,
		se: null,
		df: null,
		pValue: null,
		treatedLift: t.g === null ? null : t.g - 1,
		controlLift: c.g === null ? null : c.g - 1,
		nTreated: t.n,
		nControl: c.n
	};
	if (t.g === null || c.g === null || c.g === 0) return out;
	out.lift = t.g / c.g - 1;
	if (t.variance === null || c.variance === null) return out;
	const vt = t.variance / (c.g * c.g);
	const vc = (t.g * t.g * c.variance) / c.g ** 4;
	out.se = Math.sqrt(vt + vc);
	out.df = welchDf([
		{ variance: vt, df: t.n - 1 },
		{ variance: vc, df: c.n - 1 }
	]);
	if (out.df === null) return { ...out, lower95: out.lift, upper95: out.lift, pValue: out.lift === 0 ? 1 : 0 };
	return { ...out, ...interval(out.lift, out.se, out.df) };
}

/**
 * Additive sufficient statistics of a set of units with whole-number sums (counts): n, the four
 * sums and the sums of their ten pairwise products. Σz_i² of ratioOfRatios is a quadratic form in
 * them, so a group's interval needs one aggregate row (computed in SQL), not one row per unit.
 * BigInt: the products of impression sums pass 2^53 at scale.
 */
export interface LiftMoments {
	n: number;
	bNum: bigint;
	bDen: bigint;
	rNum: bigint;
	rDen: bigint;
	bNumBNum: bigint;
	bNumBDen: bigint;
	bNumRNum: bigint;
	bNumRDen: bigint;
	bDenBDen: bigint;
	bDenRNum: bigint;
	bDenRDen: bigint;
	rNumRNum: bigint;
	rNumRDen: bigint;
	rDenRDen: bigint;
}

const MOMENT_KEYS = ['bNum', 'bDen', 'rNum', 'rDen', 'bNumBNum', 'bNumBDen', 'bNumRNum', 'bNumRDen', 'bDenBDen', 'bDenRNum', 'bDenRDen', 'rNumRNum', 'rNumRDen', 'rDenRDen'] as const;

export function emptyMoments(): LiftMoments {
	return { n: 0, ...(Object.fromEntries(MOMENT_KEYS.map((k) => [k, 0n])) as Omit<LiftMoments, 'n'>) };
}

export function addMoments(a: LiftMoments, b: LiftMoments): LiftMoments {
	const out = { n: a.n + b.n } as LiftMoments;
	for (const k of MOMENT_KEYS) out[k] = a[k] + b[k];
	return out;
}

function whole(v: number): bigint {
	if (!Number.isSafeInteger(v) || v < 0) throw new RangeError(`unit sums must be whole numbers ≥ 0, got ${v}`);
	return BigInt(v);
}

/** The moments of units (whole-number sums), as SQL computes them per group. */
export function liftMoments(units: readonly LiftUnit[]): LiftMoments {
	const m = emptyMoments();
	for (const u of units) {
		const bn = whole(u.bNum);
		const bd = whole(u.bDen);
		const rn = whole(u.rNum);
		const rd = whole(u.rDen);
		m.n++;
		m.bNum += bn;
		m.bDen += bd;
		m.rNum += rn;
		m.rDen += rd;
		m.bNumBNum += bn * bn;
		m.bNumBDen += bn * bd;
		m.bNumRNum += bn * rn;
		m.bNumRDen += bn * rd;
		m.bDenBDen += bd * bd;
		m.bDenRNum += bd * rn;
		m.bDenRDen += bd * rd;
		m.rNumRNum += rn * rn;
		m.rNumRDen += rn * rd;
		m.rDenRDen += rd * rd;
	}
	return m;
}

/**
 * ratioOfRatios from moments. With P_i = rNum_i·ΣrDen − ΣrNum·rDen_i and Q_i = bNum_i·ΣbDen −
 * ΣbNum·bDen_i (integers), z_i = Z_i / (ΣrDen²·ΣbNum²) where Z_i = P_i·ΣbDen·ΣbNum − Q_i·ΣrNum·ΣrDen,
 * so Σz_i² = ΣZ_i² / (ΣrDen⁴·ΣbNum⁴) and ΣZ², ΣP², ΣPQ, ΣQ² expand exactly in the moments.
 */
function ratioOfRatiosFromMoments(m: LiftMoments): RatioOfRatios {
	const n = m.n;
	if (m.bDen === 0n || m.rDen === 0n || m.bNum === 0n) return { g: null, variance: null, n };
	const rb = Number(m.bNum) / Number(m.bDen);
	const rr = Number(m.rNum) / Number(m.rDen);
	const g = rr / rb;
	if (n < 2) return { g, variance: null, n };
	const { bNum: bn, bDen: bd, rNum: rn, rDen: rd } = m;
	const pp = rd * rd * m.rNumRNum - 2n * rd * rn * m.rNumRDen + rn * rn * m.rDenRDen;
	const qq = bd * bd * m.bNumBNum - 2n * bd * bn * m.bNumBDen + bn * bn * m.bDenBDen;
	const pq = rd * bd * m.bNumRNum - rd * bn * m.bDenRNum - rn * bd * m.bNumRDen + rn * bn * m.bDenRDen;
	const a = bd * bn;
	const c = rn * rd;
	const zz = a * a * pp - 2n * a * c * pq + c * c * qq;
	const s = Number(zz) / (Number(rd) ** 4 * Number(bn) ** 4);
	return { g, variance: (n / (n - 1)) * s, n };
}

/** clusteredLift of the units whose moments these are (same figures up to float rounding). */
export function clusteredLiftFromMoments(m: LiftMoments): ClusteredLift {
	return clusteredFrom(ratioOfRatiosFromMoments(m));
}

/** didLift of the treated and control units whose moments these are. */
export function didLiftFromMoments(treated: LiftMoments, control: LiftMoments): DidLift {
	return didFrom(ratioOfRatiosFromMoments(treated), ratioOfRatiosFromMoments(control));
}
