/**
 * VAT on tax-inclusive prices (domain spec, "VAT"): amount excluding tax = round(total / (1 + rate)),
 * half up (symmetric for negatives: −300.00 → −283.02 − 16.98); tax = total − amount. Split once per
 * invoice, never per bill line.
 */
import { parseDecimal, roundHalfUp, ratio, toSafeNumber } from './money.ts';

export interface VatSplit {
	amountExclTax: number;
	tax: number;
}

export function splitVat(totalFen: number, rate = '0.06'): VatSplit {
	if (!Number.isSafeInteger(totalFen)) throw new RangeError(`total must be integer fen: ${totalFen}`);
	const r = parseDecimal(rate);
	// total / (1 + num/den) = total × den / (den + num), rounded half away from zero.
	const amountExclTax = toSafeNumber(roundHalfUp(ratio(BigInt(totalFen) * r.den, r.den + r.num)));
	return { amountExclTax, tax: totalFen - amountExclTax };
}

/** The tax system's per-line tolerance: |amount × rate − tax| ≤ 0.06 yuan (6 fen). */
export function withinLineTolerance(amountExclTaxFen: number, taxFen: number, rate = '0.06'): boolean {
	const r = parseDecimal(rate);
	// |amount × num/den − tax| ≤ 6  ⇔  |amount × num − tax × den| ≤ 6 × den
	const diff = BigInt(amountExclTaxFen) * r.num - BigInt(taxFen) * r.den;
	return (diff < 0n ? -diff : diff) <= 6n * r.den;
}

/** |quantity × unit price − amount| ≤ 0.01 yuan (1 fen). */
export function withinPriceTolerance(quantity: number, unitPriceFen: number, amountFen: number): boolean {
	return Math.abs(quantity * unitPriceFen - amountFen) <= 1;
}
