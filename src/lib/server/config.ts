/**
 * Runtime configuration, read from config/*.json (validated with zod) and the environment.
 * Configuration is read at run time, not bundled, so finance can change the price list or the tax
 * classification code without a rebuild.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { priceListSchema, type PriceList } from '../pricing.ts';

export const billingConfigSchema = z.object({
	/** 税收分类编码; its short name is the part between asterisks of the item name. */
	tax_classification_code: z.string().regex(/^\d{19}$/),
	tax_short_name: z.string().min(1),
	item_name: z.string().min(1),
	vat_rate: z.string().regex(/^0\.\d+$/),
	/** First month the schedule issues by itself (YYYY-MM); null = the month before the database was created. */
	first_billing_month: z.string().regex(/^\d{4}-\d{2}$/).nullable(),
	seller_name_of_platform: z.string().optional()
});
export type BillingConfig = z.infer<typeof billingConfigSchema>;

function configDir(): string {
	return process.env.CONFIG_DIR || path.resolve('config');
}

function readJson<T>(file: string, schema: z.ZodType<T>): T {
	const full = path.join(configDir(), file);
	let raw: unknown;
	try {
		raw = JSON.parse(fs.readFileSync(full, 'utf8'));
	} catch (e) {
		throw new Error(`cannot read ${full}: ${(e as Error).message}`, { cause: e });
	}
	const r = schema.safeParse(raw);
	if (!r.success) throw new Error(`${full} is invalid: ${z.prettifyError(r.error)}`);
	return r.data;
}

let priceList: PriceList | undefined;
export function loadPriceList(): PriceList {
	return (priceList ??= readJson('price-list.json', priceListSchema));
}

let billing: BillingConfig | undefined;
export function loadBillingConfig(): BillingConfig {
	return (billing ??= readJson('billing.json', billingConfigSchema));
}
