/** What the server-side entry points (finance page, schedule) share: where files go and the real deps. */
import path from 'node:path';
import { loadBillingConfig } from '../config.ts';
import { realIncentives } from './incentive-source.ts';
import type { BillingDeps } from './run.ts';

/** Bills folder of the running server: BILLS_OUT_DIR or ./out (the CLI's default too). */
export function billsOutDir(): string {
	return path.resolve(process.env.BILLS_OUT_DIR || 'out');
}

export function defaultBillingDeps(): BillingDeps {
	return { incentives: realIncentives, config: loadBillingConfig() };
}

/** Files a month folder holds; downloads are limited to these names and sellers/ID.xlsx. */
export const MONTH_FILES = ['bills-summary.csv', 'bill-lines.csv', 'bills.xlsx', 'vat-invoices.xlsx', 'vat-invoices.csv', 'run.json'] as const;
