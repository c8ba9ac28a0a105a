/**
 * The ops dashboard as a person uses it: sign in, every page, figures against the metrics layer
 * (the JSON form of the same table's download), filters in the URL, downloads that sum to the
 * screen, the language switch, the order story, no console errors, screenshots in both languages.
 */
import { expect, test, type Page } from '@playwright/test';
import fs from 'node:fs';
import { DEMO_ACCOUNTS } from '../../src/lib/server/auth/demo-credentials.ts';

const ops = DEMO_ACCOUNTS.find((a) => a.role === 'ops')!;
const SHOTS = 'test-results/screenshots';
const PAGES = ['/', '/rework', '/sla', '/disputes', '/ctr', '/providers', '/categories', '/data'] as const;

function watchConsole(page: Page): string[] {
	const errors: string[] = [];
	page.on('console', (m) => {
		if (m.type() === 'error') errors.push(m.text());
	});
	page.on('pageerror', (e) => errors.push(String(e)));
	return errors;
}

async function signIn(page: Page, lang: 'en' | 'zh' = 'en') {
	await page.context().addCookies([{ name: 'lang', value: lang, url: page.url().startsWith('http') ? page.url() : (test.info().project.use.baseURL as string) }]);
	await page.goto('/login');
	await page.fill('input[name=email]', ops.email);
	await page.fill('input[name=password]', ops.password);
	await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login')), page.click('button[type=submit]')]);
}

/** Every chart drawn (or empty/error), so screenshots do not catch a skeleton. */
async function chartsSettled(page: Page) {
	await page.waitForLoadState('networkidle');
	await expect(page.locator('.chart[data-state="loading"]')).toHaveCount(0, { timeout: 45_000 });
}

const parseNumber = (s: string) => Number(s.replace(/[¥,%\s小时h]/g, ''));

test.describe.configure({ mode: 'serial' });

test('every page renders in both languages without console errors', async ({ page }) => {
	test.setTimeout(300_000);
	fs.mkdirSync(SHOTS, { recursive: true });
	const errors = watchConsole(page);
	for (const lang of ['en', 'zh'] as const) {
		await signIn(page, lang);
		for (const p of PAGES) {
			await page.goto(p);
			await chartsSettled(page);
			await expect(page.locator('h1')).toBeVisible();
			await expect(page.locator('.chart[data-state="error"]')).toHaveCount(0);
			await page.screenshot({ path: `${SHOTS}/${lang}${p === '/' ? '-overview' : p.replaceAll('/', '-')}.png`, fullPage: true });
		}
		await page.context().clearCookies();
	}
	expect(errors).toEqual([]);
});

test('overview tiles equal the metrics layer and react to filters through the URL', async ({ page, request }) => {
	const errors = watchConsole(page);
	await signIn(page);
	await page.goto('/?from=2026-01-01&to=2026-06-30');
	await chartsSettled(page);
	const orders = page.getByTestId('kpi-orders');
	const shown = parseNumber((await orders.getByTestId('kpi-value').textContent()) ?? '');
	expect(shown).toBe(Number(await orders.getAttribute('data-value')));

	// The same figure from the download endpoint (JSON form of the volume-by-month table).
	const cookies = await page.context().cookies();
	const json = await (
		await request.get('/export/volume_month?from=2026-01-01&to=2026-06-30&format=json', { headers: { cookie: cookies.map((c) => `${c.name}=${c.value}`).join('; ') } })
	).json();
	const iOrders = json.columns.findIndex((c: { name: string }) => c.name === 'orders');
	const sum = json.rows.reduce((a: number, r: unknown[]) => a + (r[iOrders] as number), 0);
	expect(sum).toBe(shown);

	// Changing a filter changes the URL and the figure; reloading the URL restores both.
	await page.getByTestId('filter-category').locator('summary').click();
	await page.getByTestId('filter-category').locator('input[value=jewelry]').check();
	await page.waitForURL(/category=jewelry/);
	await chartsSettled(page);
	const filtered = Number(await page.getByTestId('kpi-orders').getAttribute('data-value'));
	expect(filtered).toBeLessThan(shown);
	const url = page.url();
	await page.reload();
	await chartsSettled(page);
	expect(page.url()).toBe(url);
	expect(Number(await page.getByTestId('kpi-orders').getAttribute('data-value'))).toBe(filtered);
	await page.goBack();
	await expect(page).not.toHaveURL(/category=jewelry/);
	expect(errors).toEqual([]);
});

test('a table download holds exactly the rows on screen and sums to them', async ({ page }) => {
	await signIn(page);
	await page.goto('/rework?from=2026-01-01&to=2026-06-30');
	await chartsSettled(page);
	const table = page.getByTestId('table-rework_month');
	const cells = await table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => Array.from(r.querySelectorAll('td')).map((td) => td.textContent?.trim() ?? '')));
	const headers = await table.locator('thead th').allTextContents();
	const iDrafted = headers.findIndex((h) => /first draft/i.test(h));
	const screenSum = cells.reduce((a, r) => a + parseNumber(r[iDrafted]), 0);

	const [csvDownload] = await Promise.all([page.waitForEvent('download'), table.getByTestId('download-csv').click()]);
	const csv = fs.readFileSync((await csvDownload.path())!, 'utf8').replace(/^\uFEFF/, '').trim().split('\n');
	const head = csv[0].split(',');
	const j = head.indexOf('drafted');
	expect(csv.length - 1).toBe(cells.length);
	expect(csv.slice(1).reduce((a, l) => a + Number(l.split(',')[j]), 0)).toBe(screenSum);

	const [xlsxDownload] = await Promise.all([page.waitForEvent('download'), table.getByTestId('download-xlsx').click()]);
	const bytes = fs.readFileSync((await xlsxDownload.path())!);
	expect(bytes.subarray(0, 2).toString()).toBe('PK');
	const ExcelJS = (await import('exceljs')).default;
	const wb = new ExcelJS.Workbook();
	await wb.xlsx.load(bytes as unknown as ArrayBuffer);
	const ws = wb.worksheets[0];
	let xlsxSum = 0;
	for (let r = 2; r <= cells.length + 1; r++) xlsxSum += Number(ws.getRow(r).getCell(j + 1).value);
	expect(xlsxSum).toBe(screenSum);
});

test('sorting and paging are server-side and live in the URL', async ({ page }) => {
	await signIn(page);
	await page.goto('/providers');
	await chartsSettled(page);
	const table = page.getByTestId('table-provider_volume');
	await table.locator('thead th a', { hasText: /^Orders/ }).click();
	await page.waitForURL(/provider_volume\.sort=orders/);
	const first = await table.locator('tbody tr').first().textContent();
	await page.reload();
	expect(await page.getByTestId('table-provider_volume').locator('tbody tr').first().textContent()).toBe(first);
});

test('the language switch changes labels and number formats', async ({ page }) => {
	await signIn(page, 'en');
	await page.goto('/?from=2026-01-01&to=2026-06-30');
	await expect(page.locator('h1')).toHaveText('Overview');
	const enMonth = await page.locator('details.data-table tbody tr td').first().textContent({ timeout: 20_000 }).catch(() => null);
	await page.getByTestId('lang-switch').click();
	await expect(page.locator('h1')).toHaveText('总览');
	await expect(page.getByTestId('kpi-orders').locator('.label')).toHaveText('订单数');
	const zhMonth = await page.locator('details.data-table tbody tr td').first().textContent();
	if (enMonth) expect(zhMonth).not.toBe(enMonth); // 'Jan 2026' → '2026年1月'
	expect(zhMonth ?? '').toMatch(/年|月/);
});

test('an order page tells the story and explains the incentive', async ({ page }) => {
	const errors = watchConsole(page);
	await signIn(page);
	await page.goto('/ctr');
	await chartsSettled(page);
	const link = page.getByTestId('table-ctr_orders').locator('tbody tr a').first();
	await link.click();
	await page.waitForURL(/\/orders\//);
	await expect(page.getByTestId('order-timeline').locator('li').first()).toBeVisible();
	await expect(page.getByTestId('incentive-lines').locator('li').first()).toContainText(/Live day|No incentive/);
	await chartsSettled(page);
	fs.mkdirSync(SHOTS, { recursive: true });
	await page.screenshot({ path: `${SHOTS}/en-order.png`, fullPage: true });
	expect(errors).toEqual([]);
});

test('dark theme and a phone-sized screen', async ({ page }) => {
	const errors = watchConsole(page);
	await signIn(page);
	await page.goto('/rework');
	await chartsSettled(page);
	await page.getByTestId('theme-toggle').click();
	const bg = await page.locator('.app').evaluate((el) => getComputedStyle(el).backgroundColor);
	await page.getByTestId('theme-toggle').click();
	const bg2 = await page.locator('.app').evaluate((el) => getComputedStyle(el).backgroundColor);
	expect(bg).not.toBe(bg2);
	await page.getByTestId('theme-toggle').click();
	const chosen = await page.locator('.app').getAttribute('data-theme');
	await page.reload(); // the choice is a cookie: the server renders it, no flash
	await chartsSettled(page);
	expect(await page.locator('.app').getAttribute('data-theme')).toBe(chosen);
	expect(await page.locator('.app').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(bg);
	fs.mkdirSync(SHOTS, { recursive: true });
	await page.screenshot({ path: `${SHOTS}/en-rework-dark.png`, fullPage: true });
	await page.setViewportSize({ width: 390, height: 844 });
	await page.goto('/');
	await chartsSettled(page);
	await expect(page.locator('.nav .items')).toBeHidden();
	await page.locator('.nav-toggle').click();
	await expect(page.locator('.nav .items')).toBeVisible();
	await page.screenshot({ path: `${SHOTS}/en-overview-phone.png`, fullPage: false });
	expect(errors).toEqual([]);
});

test('the comparison period is a URL parameter and draws the previous period beside the current one', async ({ page }) => {
	const errors = watchConsole(page);
	await signIn(page);
	await page.goto('/categories?from=2026-04-01&to=2026-06-30');
	await chartsSettled(page);
	await page.getByTestId('filter-compare').check();
	await page.waitForURL(/compare=1/);
	await chartsSettled(page);
	await expect(page.getByTestId('chart-category_volume')).toContainText('previous period');
	await page.reload();
	await chartsSettled(page);
	await expect(page.getByTestId('filter-compare')).toBeChecked();
	await expect(page.getByTestId('chart-category_volume')).toContainText('previous period');
	expect(errors).toEqual([]);
});
