/**
 * The finance page end to end: finance issues a month with the button (live progress), the files
 * download and agree with the page, ops sees it read-only and cannot issue, and the seller then
 * downloads their own bill workbook — only theirs.
 */
import { expect, test, type Page } from '@playwright/test';
import fs from 'node:fs';
import { DEMO_ACCOUNTS } from '../../src/lib/server/auth/demo-credentials.ts';

const SHOTS = 'test-results/screenshots';

const MONTH = '2026-10';
const demo = (role: 'ops' | 'finance' | 'seller') => DEMO_ACCOUNTS.find((a) => a.role === role)!;

async function signIn(page: Page, role: 'ops' | 'finance' | 'seller') {
	await page.goto('/login');
	await page.fill('input[name=email]', demo(role).email);
	await page.fill('input[name=password]', demo(role).password);
	await Promise.all([page.waitForURL((u) => u.pathname !== '/login'), page.click('button[type=submit]')]);
}

function parseCsv(text: string): string[][] {
	// The bill CSVs hold no quoted newlines in these columns; a plain split with quote handling is enough here.
	return text
		.replace(/^\uFEFF/, '')
		.trim()
		.split('\n')
		.map((line) => [...line.matchAll(/("([^"]|"")*"|[^,]*)(,|$)/g)].map((m) => m[1].replace(/^"|"$/g, '').replaceAll('""', '"')).slice(0, -1));
}

test.describe.configure({ mode: 'serial' });

test('finance issues a month with live progress, and the files agree with the page', async ({ page }) => {
	test.setTimeout(240_000);
	const errors: string[] = [];
	page.on('pageerror', (e) => errors.push(String(e)));
	await signIn(page, 'finance');
	await page.goto('/finance');
	await page.fill('[data-testid=bills-month]', MONTH);
	await page.click('[data-testid=bills-issue]');
	await expect(page.getByTestId('bills-progress')).toBeVisible({ timeout: 30_000 });
	await expect(page.getByTestId('bills-progress')).toContainText('Done', { timeout: 200_000 });

	const row = page.getByTestId('bills-months').locator('tr', { hasText: MONTH });
	await expect(row).toContainText('issued');
	const summary = await page.request.get(`/finance/files/${MONTH}/bills-summary.csv`);
	expect(summary.status()).toBe(200);
	const csv = parseCsv(await summary.text());
	const header = csv[0];
	expect(header).toEqual(['seller_id', 'seller_name', 'order_count', 'image_count', 'image_fees', 'language_fees', 'incentives', 'refunds', 'net_service_amount', 'amount_excl_tax', 'vat', 'credits', 'compensation', 'carried_balance', 'amount_due', 'due_date']);
	const bills = csv.slice(1);
	expect(bills.length).toBeGreaterThan(100);
	// The months table's bill count and amount due are the summary file's.
	const cells = await row.locator('td').allInnerTexts();
	expect(Number(cells[4])).toBe(bills.length);
	const dueFen = bills.reduce((a, r) => a + Math.round(Number(r[header.indexOf('amount_due')]) * 100), 0);
	expect(Math.round(Number(cells[6].replace(/[¥,]/g, '')) * 100)).toBe(dueFen);
	for (const f of ['bill-lines.csv', 'bills.xlsx', 'vat-invoices.xlsx', 'vat-invoices.csv', 'run.json'])
		expect((await page.request.get(`/finance/files/${MONTH}/${f}`)).status(), f).toBe(200);
	// Issuing again changes nothing: the same bytes come back.
	const again = await page.request.get(`/finance/files/${MONTH}/bills-summary.csv`);
	expect(await again.text()).toBe(await summary.text());
	// The page in both languages, in the dashboard's look (screenshots kept as artifacts).
	fs.mkdirSync(SHOTS, { recursive: true });
	await page.goto(`/finance?month=${MONTH}`);
	await expect(page.getByTestId('bills-sellers').locator('tbody tr')).toHaveCount(Math.min(bills.length, 500));
	await page.screenshot({ path: `${SHOTS}/finance-en.png`, fullPage: true });
	const origin = new URL(page.url()).origin;
	await page.context().addCookies([{ name: 'lang', value: 'zh', url: origin }]);
	await page.reload();
	await expect(page.locator('h1')).toHaveText('月度账单');
	await page.screenshot({ path: `${SHOTS}/finance-zh.png`, fullPage: false });
	await page.context().addCookies([{ name: 'lang', value: 'en', url: origin }]);
	expect(errors).toEqual([]);
});

test('ops reads the finance page but cannot issue', async ({ page }) => {
	await signIn(page, 'ops');
	await page.goto('/finance');
	await expect(page.getByTestId('bills-readonly')).toBeVisible();
	await expect(page.getByTestId('bills-issue')).toHaveCount(0);
	const origin = new URL(page.url()).origin;
	const r = await page.request.post('/finance?/issue', { form: { month: '2026-09' }, headers: { origin }, maxRedirects: 0 });
	expect([403, 401]).toContain(r.status());
});

test('the seller downloads their own bill, and only theirs', async ({ page }) => {
	await signIn(page, 'seller');
	await page.goto('/seller/bills');
	const link = page.getByTestId('bills').locator(`a[href="/seller/bills/${MONTH}"]`);
	await expect(link).toHaveCount(1);
	const r = await page.request.get(`/seller/bills/${MONTH}`);
	expect(r.status()).toBe(200);
	expect((await r.body()).subarray(0, 2).toString()).toBe('PK'); // an xlsx (zip)
	for (const probe of [`/finance/files/${MONTH}/bills-summary.csv`, `/finance/files/${MONTH}/sellers/S0000001.xlsx`]) {
		const res = await page.request.get(probe, { maxRedirects: 0 });
		expect(res.status(), probe).not.toBe(200);
	}
});
