/**
 * Benjamini–Hochberg false discovery rate control (step-up). Used when a dashboard tests many
 * categories or providers at once, so that "significant" keeps meaning something.
 */

function check(pValues: readonly number[]) {
	for (const p of pValues) if (!(p >= 0 && p <= 1)) throw new RangeError(`p-value must be in [0, 1], got ${p}`);
}

/** BH-adjusted p-values (q-values): p̃₍ᵢ₎ = min_{j ≥ i} min(1, m·p₍ⱼ₎ / j), in input order. */
export function benjaminiHochbergAdjusted(pValues: readonly number[]): number[] {
	check(pValues);
	const m = pValues.length;
	const order = pValues.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p || a.i - b.i);
	const adjusted = new Array<number>(m);
	let running = 1;
	for (let r = m - 1; r >= 0; r--) {
		const { p, i } = order[r];
		running = Math.min(running, (m * p) / (r + 1));
		adjusted[i] = running;
	}
	return adjusted;
}

/** Significant flags at false discovery rate q: the hypotheses with adjusted p ≤ q. */
export function benjaminiHochberg(pValues: readonly number[], q = 0.05): boolean[] {
	if (!(q > 0 && q < 1)) throw new RangeError(`q must be in (0, 1), got ${q}`);
	return benjaminiHochbergAdjusted(pValues).map((a) => a <= q);
}
