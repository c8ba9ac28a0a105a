/**
 * Welch–Satterthwaite degrees of freedom for a sum of independent variance estimates:
 * ν = (Σ vᵢ)² / Σ (vᵢ² / νᵢ). A component with νᵢ ≤ 0 carries no degrees of freedom and must have
 * vᵢ = 0. Returns null when every component is 0 (no variance, so no t distribution to speak of).
 */
export function welchDf(parts: ReadonlyArray<{ variance: number; df: number }>): number | null {
	let total = 0;
	let denom = 0;
	for (const { variance, df } of parts) {
		if (!(variance >= 0)) throw new RangeError(`variance must be ≥ 0, got ${variance}`);
		if (variance === 0) continue;
		if (!(df > 0)) throw new RangeError(`a non-zero variance needs df > 0, got ${df}`);
		total += variance;
		denom += (variance * variance) / df;
	}
	if (total === 0) return null;
	return (total * total) / denom;
}
