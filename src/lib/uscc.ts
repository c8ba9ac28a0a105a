/**
 * Unified social credit code (统一社会信用代码), GB 32100-2015: 18 characters from a 31-character
 * alphabet (no I, O, S, V, Z); the 18th is a check character over the first 17 with weights
 * 3^(i−1) mod 31. A seller whose code fails the check is kept out of the VAT export.
 */
export const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

const WEIGHTS = Array.from({ length: 17 }, (_, i) => {
	let w = 1;
	for (let k = 0; k < i; k++) w = (w * 3) % 31;
	return w;
});

/** The check character for the first 17 characters; throws if they are not 17 alphabet characters. */
export function usccCheckChar(first17: string): string {
	if (first17.length !== 17) throw new RangeError(`need 17 characters, got ${first17.length}`);
	let sum = 0;
	for (let i = 0; i < 17; i++) {
		const v = USCC_ALPHABET.indexOf(first17[i]);
		if (v < 0) throw new RangeError(`character ${JSON.stringify(first17[i])} is not in the USCC alphabet`);
		sum += v * WEIGHTS[i];
	}
	return USCC_ALPHABET[(31 - (sum % 31)) % 31];
}

/** True when code is 18 upper-case alphabet characters whose last one is the right check character. */
export function isValidUscc(code: string): boolean {
	if (typeof code !== 'string' || code.length !== 18) return false;
	for (const ch of code) if (!USCC_ALPHABET.includes(ch)) return false;
	return usccCheckChar(code.slice(0, 17)) === code[17];
}
