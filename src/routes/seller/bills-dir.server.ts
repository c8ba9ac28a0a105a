/** The signed-in seller's workbooks in the billing job's month folders (YYYY-MM/sellers/SELLER_ID.xlsx). */
import fs from 'node:fs';
import path from 'node:path';
import { billsOutDir } from '$lib/server/billing/server';

/** The signed-in seller's workbook for a month, or null. The seller id comes from the session only. */
export function sellerWorkbook(month: string, sellerId: string): string | null {
	if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month) || !/^[A-Za-z0-9_.-]{1,64}$/.test(sellerId) || sellerId.startsWith('.')) return null;
	const file = path.join(billsOutDir(), month, 'sellers', `${sellerId}.xlsx`);
	return fs.existsSync(file) ? file : null;
}

/** Months (newest first) that have a workbook for this seller. */
export function sellerMonths(sellerId: string): string[] {
	const dir = billsOutDir();
	if (!fs.existsSync(dir)) return [];
	return fs
		.readdirSync(dir)
		.filter((m) => /^\d{4}-\d{2}$/.test(m) && sellerWorkbook(m, sellerId))
		.sort()
		.reverse();
}
