import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/lib/server/db/connection.ts';
import { runBilling } from '../../../src/lib/server/billing/run.ts';
import { serviceAmounts } from '../../../src/lib/server/billing/amounts.ts';
import { dispute, delisting, freshDb, load, order, seller } from './fixtures.ts';
import { readCsv, stubDeps, tmpOut } from './helpers.ts';

let db: Db;
let out: string;
beforeEach(async () => {
	db = await freshDb();
	out = tmpOut();
});
afterEach(async () => {
	await db.close();
	fs.rmSync(out, { recursive: true, force: true });
});

const bill = (month: string, seller: string) => readCsv(path.join(out, month, 'bills-summary.csv')).find((r) => r.seller_id === seller)!;
const lines = (month: string, seller?: string) => readCsv(path.join(out, month, 'bill-lines.csv')).filter((r) => !seller || r.seller_id === seller);

describe('issuing a month', () => {
	it('prices 139 × 1.42 × 1.5 × 0.77 → 227.97, bills a 00:30 +08:00 delivery on March 1st in March, refunds February by red letter', async () => {
		await seller(db, 'S1');
		await order(db, { id: 'O1', seller: 'S1', category: 'jewelry', rush: true, license: true, images: 1, languages: ['en', 'de'], published: '2026-02-20 10:00:00+08', delivered: '2026-03-01T00:30:00+08:00' });
		await order(db, { id: 'O2', seller: 'S1', images: 2, published: '2026-02-20 10:00:00+08', delivered: '2026-02-28T23:30:00+08:00' });
		await order(db, { id: 'O3', seller: 'S1', published: '2026-03-02 10:00:00+08', cancelled: '2026-03-03 10:00:00+08' });
		await dispute(db, { id: 'D1', order: 'O2', opened: '2026-03-01 10:00:00+08', resolved: '2026-03-02 10:00:00+08', ruling: 'provider_fault' });
		await delisting(db, { id: 'L1', order: 'O1', delisted: '2026-03-10 10:00:00+08', claimed: 900000, compensated: '2026-03-20 10:00:00+08' });

		const r = await runBilling(db, { month: '2026-03', outDir: out, actor: 'test', deps: stubDeps() });
		expect(r.issuedMonths).toEqual(['2026-02', '2026-03']);
		expect(r.messages[0]).toMatch(/Issuing 2026-02 first/);

		expect(bill('2026-02', 'S1')).toMatchObject({ order_count: '1', image_count: '2', image_fees: '170.00', net_service_amount: '170.00', due_date: '2026-03-10' });
		const m = bill('2026-03', 'S1');
		expect(m).toMatchObject({
			order_count: '1', image_fees: '227.97', language_fees: '70.00', refunds: '-170.00', net_service_amount: '127.97',
			credits: '-200.00', compensation: '-5000.00', amount_due: '0.00', due_date: '2026-04-10'
		});
		// 127.97 / 1.06 = 120.726… → 120.73, VAT 7.24
		expect([m.amount_excl_tax, m.vat]).toEqual(['120.73', '7.24']);
		expect(lines('2026-03', 'S1').map((l) => l.line_type)).toEqual(['image_fee', 'language_fee', 'refund', 'credit', 'compensation']);
		expect(lines('2026-03').find((l) => l.line_type === 'image_fee')).toMatchObject({ quantity: '1', unit_price: '227.97', amount: '227.97', month_of_origin: '2026-03' });

		const inv = readCsv(path.join(out, '2026-03', 'vat-invoices.csv'));
		const blueFeb = readCsv(path.join(out, '2026-02', 'vat-invoices.csv'))[0];
		expect(blueFeb).toMatchObject({ kind: 'blue', total: '170.00', amount_excl_tax: '160.38', tax: '9.62' });
		const red = inv.find((i) => i.kind === 'red')!;
		expect(red).toMatchObject({ total: '-170.00', original_serial: blueFeb.invoice_serial, original_month: '2026-02', reason: '服务中止' });
		expect(red.invoice_serial.length).toBeLessThanOrEqual(20);
		const blue = inv.find((i) => i.kind === 'blue')!;
		expect(blue.total).toBe('297.97');
		// blue − red = net
		expect(Math.round(Number(blue.total) * 100) + Math.round(Number(red.total) * 100)).toBe(12797);

		// The dashboards' service revenue comes from the same SQL.
		const sa = await serviceAmounts(db, { fromMonth: '2026-02', toMonth: '2026-03' });
		expect(sa.map((x) => [x.month, x.net_service_amount])).toEqual([['2026-02', 17000], ['2026-03', 12797]]);

		const runJson = JSON.parse(fs.readFileSync(path.join(out, '2026-03', 'run.json'), 'utf8'));
		expect(runJson).toMatchObject({ month: '2026-03', preview: false, earlier_months_issued: ['2026-02'] });
		expect(Object.keys(runJson.files).sort()).toEqual(['bill-lines.csv', 'bills-summary.csv', 'bills.xlsx', 'sellers/', 'vat-invoices.csv', 'vat-invoices.xlsx']);
		const audit = await db.all<{ action: string }>(`SELECT action FROM audit_log ORDER BY audit_id`);
		expect(audit.map((a) => a.action)).toEqual(['bills.issue', 'bills.issue']);
	});

	it('issuing twice writes nothing new and gives identical bytes, also into a fresh folder', async () => {
		await seller(db, 'S1');
		await seller(db, 'S2', { name: '=cmd|"/c calc"!A1' });
		await order(db, { id: 'O1', seller: 'S1', images: 3, languages: ['fr'], published: '2026-03-01 10:00:00+08', delivered: '2026-03-05 10:00:00+08' });
		await order(db, { id: 'O2', seller: 'S2', category: 'electronics', published: '2026-03-01 10:00:00+08', delivered: '2026-03-06 10:00:00+08' });
		const deps = stubDeps();
		const a = await runBilling(db, { month: '2026-03', outDir: out, actor: 'test', deps });
		const snapshot = (dir: string) => Object.fromEntries(
			fs.readdirSync(dir, { recursive: true }).map(String).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort().map((f) => [f, fs.readFileSync(path.join(dir, f)).toString('base64')])
		);
		const before = snapshot(path.join(out, '2026-03'));
		const mtime = fs.statSync(path.join(out, '2026-03', 'bills.xlsx')).mtimeMs;
		const b = await runBilling(db, { month: '2026-03', outDir: out, actor: 'test', deps });
		expect(b.alreadyIssued).toBe(true);
		expect(b.files).toEqual(a.files);
		expect(fs.statSync(path.join(out, '2026-03', 'bills.xlsx')).mtimeMs).toBe(mtime);
		const other = tmpOut();
		await runBilling(db, { month: '2026-03', outDir: other, actor: 'test', deps });
		expect(snapshot(path.join(other, '2026-03'))).toEqual(before);
		expect((await db.all('SELECT * FROM bills')).length).toBe(2);
		// Formula injection: the seller name is neutralised in the CSV.
		expect(fs.readFileSync(path.join(out, '2026-03', 'bills-summary.csv'), 'utf8')).toContain(`"'=cmd|""/c calc""!A1"`);
		fs.rmSync(other, { recursive: true, force: true });
	});

	it('carries a negative total whole into the next month, with a carry-only row', async () => {
		await seller(db, 'S1');
		await order(db, { id: 'O1', seller: 'S1', published: '2026-01-20 10:00:00+08', delivered: '2026-01-28 10:00:00+08' });
		await dispute(db, { id: 'D1', order: 'O1', opened: '2026-01-29 10:00:00+08', resolved: '2026-02-01 10:00:00+08', ruling: 'provider_fault' });
		await runBilling(db, { month: '2026-03', outDir: out, actor: 'test', deps: stubDeps() });
		expect(bill('2026-02', 'S1')).toMatchObject({ refunds: '-85.00', credits: '-200.00', carried_balance: '0.00', amount_due: '0.00' });
		expect(bill('2026-03', 'S1')).toMatchObject({ order_count: '0', net_service_amount: '0.00', carried_balance: '-285.00', amount_due: '0.00' });
		expect(lines('2026-03', 'S1')).toEqual([expect.objectContaining({ line_type: 'carried_balance', amount: '-285.00', month_of_origin: '2026-02' })]);
		// April has nothing but the carry again: the schedule or a request issues it as a carry-only month.
		await order(db, { id: 'O2', seller: 'S1', images: 5, published: '2026-04-01 10:00:00+08', delivered: '2026-04-02 10:00:00+08' });
		await runBilling(db, { month: '2026-04', outDir: out, actor: 'test', deps: stubDeps() });
		expect(bill('2026-04', 'S1')).toMatchObject({ image_fees: '425.00', carried_balance: '-285.00', amount_due: '140.00' });
	});

	it('bills rows that arrive after their month was issued as adjustments naming the month of origin', async () => {
		await seller(db, 'S1');
		await load(db, 1);
		await order(db, { id: 'O1', seller: 'S1', images: 1, published: '2026-02-01 10:00:00+08', delivered: '2026-02-03 10:00:00+08', live: '2026-02-05 10:00:00+08' });
		const deps = stubDeps([{ orderId: 'O1', sellerId: 'S1', skuId: 'SKU-O1', category: 'apparel', qualifies: true, tierRate: 10, amountFen: 850, closeMonth: '2026-03' }]);
		await runBilling(db, { month: '2026-03', outDir: out, actor: 'test', deps });
		expect(bill('2026-03', 'S1')).toMatchObject({ incentives: '8.50' });
		// Late: a February delivery, a corrected image count, and a late CTR day lifting the incentive tier.
		await load(db, 2);
		await order(db, { id: 'O9', seller: 'S1', images: 2, published: '2026-02-01 10:00:00+08', delivered: '2026-02-10 10:00:00+08', load: 2 });
		await db.run(`UPDATE orders SET image_count = 3, _load_id = 2 WHERE order_id = 'O1'`);
		deps.decisions[0] = { ...deps.decisions[0], tierRate: 20, amountFen: 5100 };
		await runBilling(db, { month: '2026-04', outDir: out, actor: 'test', deps });
		const adj = lines('2026-04', 'S1').filter((l) => l.line_type === 'adjustment');
		expect(adj.map((l) => [l.order_id, l.amount, l.month_of_origin, l.description])).toEqual([
			['O1', '170.00', '2026-02', '调整 Adjustment of image_fee for 2026-02'],
			['O1', '42.50', '2026-03', '调整 Adjustment of incentive for 2026-03'],
			['O9', '170.00', '2026-02', '调整 Adjustment of image_fee for 2026-02']
		]);
		expect(bill('2026-04', 'S1')).toMatchObject({ image_fees: '340.00', incentives: '42.50', net_service_amount: '382.50' });
		// Once billed, the adjustment is not repeated.
		await load(db, 3);
		await runBilling(db, { month: '2026-05', outDir: out, actor: 'test', deps });
		expect(fs.existsSync(path.join(out, '2026-05', 'bill-lines.csv'))).toBe(true);
		expect(lines('2026-05')).toEqual([]);
	});

	it('a reconciliation failure stops the run, names seller and figures, and records nothing', async () => {
		await seller(db, 'S1');
		await order(db, { id: 'O1', seller: 'S1', published: '2026-03-01 10:00:00+08', delivered: '2026-03-05 10:00:00+08' });
		const deps = stubDeps([], { beforeReconcile: (d) => void (d.lineSums.get('S1')!.image_fee += 1) });
		await expect(runBilling(db, { month: '2026-03', outDir: out, actor: 'test', deps })).rejects.toThrow(
			/2026-03 seller S1: image_fees lines sum to 85\.01 but the bill says 85\.00/
		);
		expect(await db.all('SELECT * FROM bill_runs')).toEqual([]);
		expect(await db.all('SELECT * FROM bills')).toEqual([]);
		expect(fs.readdirSync(out)).toEqual([]);
	});

	it('keeps a seller with an invalid USCC out of the VAT export, on the findings list, and the VAT identity holds', async () => {
		await seller(db, 'S1');
		await seller(db, 'S2', { uscc: '91350100M000100Y44' });
		await order(db, { id: 'O1', seller: 'S1', published: '2026-03-01 10:00:00+08', delivered: '2026-03-05 10:00:00+08' });
		await order(db, { id: 'O2', seller: 'S2', published: '2026-03-01 10:00:00+08', delivered: '2026-03-05 10:00:00+08' });
		await runBilling(db, { month: '2026-03', outDir: out, actor: 'test', deps: stubDeps() });
		const inv = readCsv(path.join(out, '2026-03', 'vat-invoices.csv'));
		expect(inv.map((i) => i.seller_id)).toEqual(['S1']);
		const run = JSON.parse(fs.readFileSync(path.join(out, '2026-03', 'run.json'), 'utf8'));
		expect(run.findings).toEqual([expect.objectContaining({ kind: 'invalid_uscc', seller_id: 'S2' })]);
		expect(run.totals.vat_blue_total + run.totals.vat_red_total + run.totals.net_left_out_of_vat).toBe(run.totals.net_service_amount);
	});

	it('a preview writes the same files marked preview and records nothing', async () => {
		await seller(db, 'S1');
		await order(db, { id: 'O1', seller: 'S1', published: '2026-03-01 10:00:00+08', delivered: '2026-03-05 10:00:00+08' });
		const deps = stubDeps();
		const p = await runBilling(db, { month: '2026-03', outDir: out, actor: 'test', preview: true, deps });
		expect(p.dir).toBe(path.join(out, '2026-03-preview'));
		expect(JSON.parse(fs.readFileSync(path.join(p.dir, 'run.json'), 'utf8')).preview).toBe(true);
		expect(await db.all('SELECT * FROM bill_runs')).toEqual([]);
		expect(await db.all('SELECT * FROM bill_lines')).toEqual([]);
		const i = await runBilling(db, { month: '2026-03', outDir: out, actor: 'test', deps });
		expect(fs.readFileSync(path.join(i.dir, 'bills-summary.csv'))).toEqual(fs.readFileSync(path.join(p.dir, 'bills-summary.csv')));
	});

	it('refuses a month before the latest issued one', async () => {
		await seller(db, 'S1');
		await order(db, { id: 'O1', seller: 'S1', published: '2026-03-01 10:00:00+08', delivered: '2026-03-05 10:00:00+08' });
		await runBilling(db, { month: '2026-03', outDir: out, actor: 'test', deps: stubDeps() });
		await expect(runBilling(db, { month: '2026-01', outDir: out, actor: 'test', deps: stubDeps() })).rejects.toThrow(/before 2026-03/);
	});
});

describe('SQL and TypeScript agree', () => {
	it('USCC check and VAT split in SQL match src/lib/uscc.ts and src/lib/vat.ts', async () => {
		const { isValidUscc } = await import('../../../src/lib/uscc.ts');
		const { splitVat } = await import('../../../src/lib/vat.ts');
		const codes = ['91350100M000100Y43', '91350100M000100Y44', 'X', '', '91440300000000001H'];
		for (let i = 0; i < 200; i++) codes.push(`9144030${String(i * 7919).padStart(10, '0')}${'0123456789ABCDEFGHJKLMNPQRTUWXY'[i % 31]}`);
		await db.run(`CREATE TABLE u AS SELECT unnest(from_json($c, '["VARCHAR"]')) AS uscc`, { c: JSON.stringify(codes) });
		const sqlCheck = (await import('node:fs')).readFileSync('src/lib/server/billing/stage-bills.sql', 'utf8').match(/\(regexp_full_match[\s\S]*?IS TRUE/)![0];
		const rows = await db.all<{ uscc: string; ok: boolean }>(`SELECT uscc, ${sqlCheck} AS ok FROM u`);
		for (const r of rows) expect([r.uscc, r.ok]).toEqual([r.uscc, isValidUscc(r.uscc)]);
		const totals = [0, 1, 53, -53, 30000, -30000, 12797, 999999999, -7];
		const split = await db.all<{ t: number; a: number }>(
			`SELECT t, (sign(t) * ((abs(t) * 2 * 100 + 106) // 212))::BIGINT AS a FROM (SELECT unnest(from_json($t, '["BIGINT"]')) AS t)`,
			{ t: JSON.stringify(totals) }
		);
		for (const s of split) expect(s.a).toBe(splitVat(s.t).amountExclTax);
	});
});

describe('payment status and the schedule', () => {
	it('marks paid / partly paid / overdue by 24:00 Shanghai on the 10th, and lists surpluses', async () => {
		const { billStatuses, paymentSurpluses } = await import('../../../src/lib/server/billing/status.ts');
		const { payment } = await import('./fixtures.ts');
		for (const s of ['S1', 'S2', 'S3', 'S4']) {
			await seller(db, s);
			await order(db, { id: `O-${s}`, seller: s, published: '2026-03-01 10:00:00+08', delivered: '2026-03-05 10:00:00+08' });
		}
		await runBilling(db, { month: '2026-03', outDir: out, actor: 'test', deps: stubDeps() });
		await payment(db, { id: 'P1', seller: 'S1', month: '2026-03', paidAt: '2026-04-10T23:59:00+08:00', amount: 8500 });
		await payment(db, { id: 'P2', seller: 'S2', month: '2026-03', paidAt: '2026-04-08T10:00:00+08:00', amount: 5000 });
		await payment(db, { id: 'P3', seller: 'S3', month: '2026-03', paidAt: '2026-04-11T00:00:00+08:00', amount: 8500 });
		await payment(db, { id: 'P4', seller: 'S4', month: '2026-03', paidAt: '2026-04-02T00:00:00+08:00', amount: 9000 });
		const before = await billStatuses(db, { month: '2026-03', now: new Date('2026-04-10T23:59:30+08:00') });
		expect(before.map((b) => [b.seller_id, b.status])).toEqual([['S1', 'paid'], ['S2', 'partly paid'], ['S3', 'due'], ['S4', 'paid']]);
		const after = await billStatuses(db, { month: '2026-03', now: new Date('2026-04-11T00:00:01+08:00') });
		expect(after.map((b) => [b.seller_id, b.status, b.overdue])).toEqual([['S1', 'paid', false], ['S2', 'partly paid', true], ['S3', 'overdue', true], ['S4', 'paid', false]]);
		expect(await paymentSurpluses(db)).toEqual([{ seller_id: 'S4', month: '2026-03', amount_due: 8500, paid: 9000 }]);
	});

	it('the schedule waits for the last day’s CTR, issues on the 5th regardless, never before the first billing month', async () => {
		const { decideScheduledMonth } = await import('../../../src/lib/server/billing/schedule.ts');
		const at = (s: string) => new Date(s);
		expect(decideScheduledMonth({ now: at('2026-04-01T02:00:00+08:00'), first: '2026-03', issued: [], ctrHasLastDay: false }).month).toBe(null);
		expect(decideScheduledMonth({ now: at('2026-04-02T02:00:00+08:00'), first: '2026-03', issued: [], ctrHasLastDay: true }).month).toBe('2026-03');
		expect(decideScheduledMonth({ now: at('2026-04-05T00:10:00+08:00'), first: '2026-03', issued: [], ctrHasLastDay: false }).month).toBe('2026-03');
		// 2026-03-31 16:30 UTC is already April 1st in Shanghai
		expect(decideScheduledMonth({ now: at('2026-04-04T16:30:00Z'), first: '2026-03', issued: [], ctrHasLastDay: false }).month).toBe('2026-03');
		expect(decideScheduledMonth({ now: at('2026-04-05T10:00:00+08:00'), first: '2026-03', issued: ['2026-03'], ctrHasLastDay: true }).month).toBe(null);
		expect(decideScheduledMonth({ now: at('2026-04-05T10:00:00+08:00'), first: '2026-04', issued: [], ctrHasLastDay: true }).month).toBe(null);
	});

	it('a schedule tick issues once, and a second tick does nothing', async () => {
		const { scheduleTick } = await import('../../../src/lib/server/billing/schedule.ts');
		await seller(db, 'S1');
		await order(db, { id: 'O1', seller: 'S1', published: '2026-03-01 10:00:00+08', delivered: '2026-03-05 10:00:00+08' });
		const opts = { outDir: out, deps: stubDeps(), now: () => new Date('2026-04-05T03:00:00+08:00'), log: () => undefined };
		expect((await scheduleTick(db, opts)).month).toBe('2026-03');
		expect((await scheduleTick(db, opts)).month).toBe(null);
		const run = JSON.parse(fs.readFileSync(path.join(out, '2026-03', 'run.json'), 'utf8'));
		expect(run.missing_inputs[0]).toMatch(/ctr_daily: no rows for 2026-03-31/);
		expect((await db.all(`SELECT * FROM audit_log WHERE actor = 'schedule'`)).length).toBe(1);
	});
});

describe('with the real incentive rule', () => {
	it('calls metrics/incentives.ts incentiveDecisions for the month and bills what it decides', async () => {
		const { realIncentives } = await import('../../../src/lib/server/billing/incentive-source.ts');
		await seller(db, 'S1');
		// Live 2026-03-01 → window closes 2026-03-30; no CTR rows → does not qualify, billed nothing.
		await order(db, { id: 'O1', seller: 'S1', published: '2026-02-20 10:00:00+08', delivered: '2026-02-25 10:00:00+08', live: '2026-03-01 10:00:00+08' });
		const calls: string[] = [];
		const deps = { ...stubDeps(), incentives: ((e, o) => (calls.push(o.closesInMonth), realIncentives(e, o))) as typeof realIncentives };
		await runBilling(db, { month: '2026-03', outDir: out, actor: 'test', deps });
		expect(calls).toEqual(['2026-02', '2026-03']);
		const run = JSON.parse(fs.readFileSync(path.join(out, '2026-03', 'run.json'), 'utf8'));
		expect(run.inputs).toMatchObject({ incentive_decisions: 1, incentives_qualified: 0 });
	});
});
