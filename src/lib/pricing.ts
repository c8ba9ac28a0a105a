/**
 * Order pricing (domain spec, "Prices"). Pure: the price list is passed in (config/price-list.json,
 * loaded and validated by src/lib/server/config.ts).
 *
 * unit price = list × complexity × rush × licence, exact, rounded ONCE half up to the fen.
 * image fee = unit price × images; language fee = 35.00 × languages × images (no multipliers).
 */
import { z } from 'zod';
import { applyRatio, mul, parseDecimal, parseYuan } from './money.ts';
import { CATEGORIES, IMAGE_TYPES, LANGUAGES } from './contract-enums.ts';

const yuan = z.string().regex(/^\d+(\.\d{1,2})?$/, 'yuan with at most 2 decimals');
const decimal = z.string().regex(/^\d+(\.\d+)?$/, 'a decimal such as 1.42');
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const priceListSchema = z.object({
	versions: z
		.array(
			z.object({
				version: z.string().min(1),
				effective_from: day,
				rush_multiplier: decimal,
				store_license_multiplier: decimal,
				language_fee_per_image: yuan,
				categories: z.record(
					z.enum(CATEGORIES),
					z.object({ main: yuan, scene: yuan, complexity: decimal })
				)
			})
		)
		.min(1)
});
export type PriceList = z.infer<typeof priceListSchema>;
export type PriceVersion = PriceList['versions'][number];
export type Category = (typeof CATEGORIES)[number];
export type ImageType = (typeof IMAGE_TYPES)[number];
export type Language = (typeof LANGUAGES)[number];

/** The version in force on a Shanghai day (the order's published day). */
export function versionFor(list: PriceList, publishedDay: string): PriceVersion {
	const sorted = [...list.versions].sort((a, b) => a.effective_from.localeCompare(b.effective_from));
	let found: PriceVersion | undefined;
	for (const v of sorted) if (v.effective_from <= publishedDay) found = v;
	if (!found) throw new RangeError(`no price list in force on ${publishedDay} (first: ${sorted[0].effective_from})`);
	return found;
}

export interface UnitPriceInput {
	category: Category;
	imageType: ImageType;
	rush: boolean;
	storeLicense: boolean;
}

/** Unit price per image in fen, rounded once, half up. */
export function unitPriceFen(v: PriceVersion, o: UnitPriceInput): number {
	const cat = v.categories[o.category];
	if (!cat) throw new RangeError(`category ${o.category} is not on price list ${v.version}`);
	const list = parseYuan(cat[o.imageType]);
	const factors = [parseDecimal(cat.complexity)];
	if (o.rush) factors.push(parseDecimal(v.rush_multiplier));
	if (o.storeLicense) factors.push(parseDecimal(v.store_license_multiplier));
	return applyRatio(list, mul(...factors));
}

export interface OrderChargeInput extends UnitPriceInput {
	imageCount: number;
	languages: readonly string[];
}

export interface OrderCharge {
	priceVersion: string;
	unitPrice: number;
	imageFee: number;
	languageUnit: number;
	languageCount: number;
	languageFee: number;
	total: number;
}

export function orderCharge(v: PriceVersion, o: OrderChargeInput): OrderCharge {
	const unitPrice = unitPriceFen(v, o);
	const languageUnit = parseYuan(v.language_fee_per_image);
	const imageFee = unitPrice * o.imageCount;
	const languageFee = languageUnit * o.languages.length * o.imageCount;
	return {
		priceVersion: v.version,
		unitPrice,
		imageFee,
		languageUnit,
		languageCount: o.languages.length,
		languageFee,
		total: imageFee + languageFee
	};
}

/**
 * Validates a `languages` cell: ';'-separated codes from en/es/fr/de/pt, lower-case, no repeats.
 * Returns the codes or an error message.
 */
export function parseLanguages(cell: string | null | undefined): { ok: true; codes: Language[] } | { ok: false; error: string } {
	if (cell == null || cell.trim() === '') return { ok: true, codes: [] };
	const codes = cell.split(';').map((s) => s.trim());
	const seen = new Set<string>();
	for (const code of codes) {
		if (!(LANGUAGES as readonly string[]).includes(code)) return { ok: false, error: `unknown language '${code}' (allowed: ${LANGUAGES.join(', ')})` };
		if (seen.has(code)) return { ok: false, error: `language '${code}' repeated` };
		seen.add(code);
	}
	return { ok: true, codes: codes as Language[] };
}

/** Every unit price of a version, for the unit_prices table that SQL multiplies by image counts. */
export function unitPriceTable(v: PriceVersion): (UnitPriceInput & { version: string; effectiveFrom: string; unitPrice: number; languageUnit: number })[] {
	const out = [];
	for (const category of Object.keys(v.categories) as Category[])
		for (const imageType of IMAGE_TYPES)
			for (const rush of [false, true])
				for (const storeLicense of [false, true])
					out.push({
						version: v.version,
						effectiveFrom: v.effective_from,
						category,
						imageType,
						rush,
						storeLicense,
						unitPrice: unitPriceFen(v, { category, imageType, rush, storeLicense }),
						languageUnit: parseYuan(v.language_fee_per_image)
					});
	return out;
}
