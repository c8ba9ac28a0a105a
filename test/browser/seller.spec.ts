/** The seller portal: own reports only, downloads, the bill workbook from the session's seller id. */
import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import { DEMO_ACCOUNTS } from '../../src/lib/server/auth/demo-credentials.ts';

const seller = DEMO_ACCOUNTS.find((a) => a.role === 'seller')!;
const SHOTS = 'test-results/screenshots';

test('a seller sees their CTR report, orders and bills, and nothing of the dashboards', async ({ page }) => {
	const errors: string[] = [];
	page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
	page.on('pageerror', (e) => errors.push(String(e)));
	await page.goto('/login');
	await page.fill('input[name=email]', seller.email);
	await page.fill('input[name=password]', seller.password);
	await Promise.all([page.waitForURL(/\/seller/), page.click('button[type=submit]')]);
	fs.mkdirSync(SHOTS, { recursive: true });
	for (const p of ['/seller', '/seller/orders', '/seller/bills']) {
		await page.goto(p);
		await page.waitForLoadState('networkidle');
		await expect(page.locator('.chart[data-state="loading"]')).toHaveCount(0, { timeout: 45_000 });
		await page.screenshot({ path: `${SHOTS}/seller${p.replaceAll('/', '-')}.png`, fullPage: true });
	}
	// A seller's download works through the seller path, and the staff one is not theirs.
	const csv = await page.request.get('/seller/export/seller_ctr_orders?format=csv');
	expect(csv.status()).toBe(200);
	const staff = await page.request.get('/export/ctr_orders?format=csv', { maxRedirects: 0 });
	expect(staff.status()).not.toBe(200);
	// Another seller's bill is unreachable: the URL names only a month.
	expect((await page.request.get('/seller/bills/2026-10/../../S0000001.xlsx')).status()).not.toBe(200);
	expect(errors).toEqual([]);
});
