/**
 * Money is integer fen (1 yuan = 100 fen) everywhere. Multipliers are exact rationals and a
 * result is rounded once, half up (away from zero for negatives), with BigInt arithmetic.
 */

/** An exact fraction num/den (den > 0). */
export interface Ratio {
	num: bigint;
	den: bigint;
}

export const ratio = (num: bigint | number, den: bigint | number = 1n): Ratio => {
	let n = BigInt(num);
	let d = BigInt(den);
	if (d === 0n) throw new RangeError('zero denominator');
	if (d < 0n) {
		n = -n;
		d = -d;
	}
	return { num: n, den: d };
};

/** Parses a decimal like '1.42', '0.77', '-3' into an exact ratio. */
export function parseDecimal(s: string): Ratio {
	const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s.trim());
	if (!m) throw new RangeError(`not a decimal: ${s}`);
	const frac = m[3] ?? '';
	const n = BigInt(m[2] + frac) * (m[1] ? -1n : 1n);
	return ratio(n, 10n ** BigInt(frac.length));
}

export function mul(...xs: Ratio[]): Ratio {
	return xs.reduce((a, b) => ratio(a.num * b.num, a.den * b.den), ratio(1n));
}

/** Rounds a ratio to the nearest integer, halves away from zero (commercial rounding). */
export function roundHalfUp(r: Ratio): bigint {
	const neg = r.num < 0n;
	const n = neg ? -r.num : r.num;
	const q = (2n * n + r.den) / (2n * r.den);
	return neg ? -q : q;
}

export function toSafeNumber(b: bigint): number {
	const n = Number(b);
	if (!Number.isSafeInteger(n)) throw new RangeError(`amount out of range: ${b}`);
	return n;
}

/** '227.97' / '5000' / '85.5' → fen. At most two decimals; throws otherwise. */
export function parseYuan(s: string): number {
	const m = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(s.trim());
	if (!m) throw new RangeError(`not a yuan amount with at most 2 decimals: ${s}`);
	const fen = Number(m[2]) * 100 + Number((m[3] ?? '').padEnd(2, '0'));
	return m[1] ? -fen : fen;
}

/** fen → '227.97' (always two decimals, '-' for negatives, no grouping). */
export function formatYuan(fen: number): string {
	if (!Number.isSafeInteger(fen)) throw new RangeError(`fen must be a safe integer: ${fen}`);
	const neg = fen < 0;
	const a = Math.abs(fen);
	const s = `${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
	return neg && a !== 0 ? `-${s}` : s;
}

/** fen × an exact ratio, rounded half up once. */
export function applyRatio(fen: number, r: Ratio): number {
	return toSafeNumber(roundHalfUp(mul(ratio(fen), r)));
}
