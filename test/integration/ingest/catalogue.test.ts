/**
 * One case per rule of the data contract: a bad row appended to a valid folder is rejected with
 * file, line, column and reason, while every good row of the same files loads.
 */
import { describe, expect, it } from 'vitest';
import type { TableName } from '../../../src/lib/server/db/contract.ts';
import { goodFolder, order, seller, writeFolder } from '../../fixtures/ingest/folder.ts';
import { freshDb, load, tableRow } from './helpers.ts';

type Case = [name: string, table: TableName, row: () => Record<string, string>, column: string, reason: RegExp];

const g = goodFolder();
const prov = (o: Record<string, string>) => ({ provider_id: 'P9', name: 'Nine', certified_at: '2024-01-01', ...o });
const ctr = (o: Record<string, string>) => ({ sku_id: 'SKU7', date: '2026-03-05', impressions: '10', clicks: '1', add_to_cart: '0', ...o });
const pay = (o: Record<string, string>) => ({ payment_id: 'PAY9', seller_id: 'S2', month: '2026-02', paid_at: '2026-03-09 10:00:00', amount: '10', method: 'bank', ...o });
const dis = (o: Record<string, string>) => ({
	dispute_id: 'D9',
	order_id: 'O1',
	opened_at: '2026-03-06 09:00:00',
	reason_code: 'R01',
	first_response_at: '',
	resolved_at: '',
	ruling: '',
	...o
});
const del = (o: Record<string, string>) => ({ delisting_id: 'L9', order_id: 'O2', delisted_at: '2026-03-10 12:00:00', claimed_loss: '100', accountability_started_at: '', compensated_at: '', ...o });
const rev = (o: Record<string, string>) => ({ order_id: 'O2', requested_at: '2026-03-04 08:00:00', reason_code: 'R05', redelivered_at: '', ...o });
const ord = (o: Record<string, string>) => order({ order_id: 'O9', seller_id: 'S1', provider_id: 'P1', sku_id: 'SKU9', ...o });

const cases: Case[] = [
	// types
	['empty id', 'providers', () => prov({ provider_id: '' }), 'provider_id', /required value is empty/],
	['blank id', 'providers', () => prov({ provider_id: '   ' }), 'provider_id', /id is blank/],
	['id of ideographic spaces', 'ctr_daily', () => ctr({ sku_id: '\u3000\u3000' }), 'sku_id', /id is blank/],
	['required int empty', 'ctr_daily', () => ctr({ clicks: '' }), 'clicks', /required value is empty/],
	['id over 64 characters', 'providers', () => prov({ provider_id: 'P'.repeat(65) }), 'provider_id', /longer than 64/],
	['required text empty', 'providers', () => prov({ name: '' }), 'name', /required value is empty/],
	['bool not true/false/1/0', 'sellers', () => seller({ seller_id: 'S9', enterprise_certified: 'yes' }), 'enterprise_certified', /not a boolean/],
	['int with decimals', 'orders', () => ord({ image_count: '1.5' }), 'image_count', /not an integer/],
	['int in exponent form', 'orders', () => ord({ reference_images: '1e3' }), 'reference_images', /not an integer/],
	['image_count below 1', 'orders', () => ord({ image_count: '0' }), 'image_count', /at least 1/],
	['delivery_days below 3', 'orders', () => ord({ delivery_days: '2' }), 'delivery_days', /at least 3/],
	['reference_images negative', 'orders', () => ord({ reference_images: '-1' }), 'reference_images', /at least 0/],
	['store_level above 5', 'sellers', () => seller({ seller_id: 'S9', store_level: '6' }), 'store_level', /at most 5/],
	['store_level below 1', 'sellers', () => seller({ seller_id: 'S9', store_level: '0' }), 'store_level', /at least 1/],
	['impressions negative', 'ctr_daily', () => ctr({ impressions: '-5' }), 'impressions', /at least 0/],
	['clicks not a number', 'ctr_daily', () => ctr({ clicks: 'many' }), 'clicks', /not an integer/],
	['add_to_cart negative', 'ctr_daily', () => ctr({ add_to_cart: '-1' }), 'add_to_cart', /at least 0/],
	['money with 3 decimals', 'delistings', () => del({ claimed_loss: '12.345' }), 'claimed_loss', /more than 2 decimal places/],
	['money not a number', 'payments', () => pay({ amount: '12,50' }), 'amount', /not an amount/],
	['claimed_loss zero', 'delistings', () => del({ claimed_loss: '0' }), 'claimed_loss', /greater than 0/],
	['payment amount negative', 'payments', () => pay({ amount: '-3.50' }), 'amount', /greater than 0/],
	['date that does not exist', 'providers', () => prov({ certified_at: '2024-02-30' }), 'certified_at', /not a date/],
	['date in another shape', 'providers', () => prov({ certified_at: '2024/01/15' }), 'certified_at', /not a date/],
	['timestamp in another shape', 'orders', () => ord({ published_at: '2026-03-01 9:00' }), 'published_at', /not an ISO 8601 timestamp/],
	['timestamp that is a word', 'revisions', () => rev({ redelivered_at: 'soon' }), 'redelivered_at', /not an ISO 8601 timestamp/],
	['month 13', 'payments', () => pay({ month: '2026-13' }), 'month', /not a month/],
	['month with a day', 'payments', () => pay({ month: '2026-02-01' }), 'month', /not a month/],
	// enums
	['entity_type', 'sellers', () => seller({ seller_id: 'S9', entity_type: 'company' }), 'entity_type', /unknown value/],
	['region', 'sellers', () => seller({ seller_id: 'S9', region: 'beijing' }), 'region', /unknown value \(allowed: shenzhen/],
	['category', 'orders', () => ord({ category: 'food' }), 'category', /unknown value/],
	['image_type', 'orders', () => ord({ image_type: 'detail' }), 'image_type', /unknown value/],
	['enum is case-sensitive', 'orders', () => ord({ image_type: 'Main' }), 'image_type', /unknown value/],
	['revision reason_code', 'revisions', () => rev({ reason_code: 'R13' }), 'reason_code', /unknown value/],
	['dispute reason_code', 'disputes', () => dis({ order_id: 'O2', dispute_id: 'D8', reason_code: 'r01' }), 'reason_code', /unknown value/],
	['ruling', 'disputes', () => dis({ ruling: 'maybe', resolved_at: '2026-03-07 09:00:00' }), 'ruling', /unknown value/],
	['payment method', 'payments', () => pay({ method: 'cash' }), 'method', /unknown value/],
	['language not offered', 'orders', () => ord({ languages: 'en;th' }), 'languages', /unknown language 'th'/],
	['language upper-case', 'orders', () => ord({ languages: 'EN' }), 'languages', /unknown language 'EN'/],
	['language repeated', 'orders', () => ord({ languages: 'en;de;en' }), 'languages', /repeated/],
	// references
	['order → unknown seller', 'orders', () => ord({ seller_id: 'S404' }), 'seller_id', /unknown seller/],
	['order → unknown provider', 'orders', () => ord({ provider_id: 'P404' }), 'provider_id', /unknown provider/],
	['seller licence → unknown provider', 'sellers', () => seller({ seller_id: 'S9', license_provider_id: 'P404' }), 'license_provider_id', /unknown provider/],
	['revision → unknown order', 'revisions', () => rev({ order_id: 'O404' }), 'order_id', /unknown order/],
	['dispute → unknown order', 'disputes', () => dis({ order_id: 'O404' }), 'order_id', /unknown order/],
	['delisting → unknown order', 'delistings', () => del({ order_id: 'O404' }), 'order_id', /unknown order/],
	['payment → unknown seller', 'payments', () => pay({ seller_id: 'S404' }), 'seller_id', /unknown seller/],
	// keys repeated inside one file
	['provider_id repeated', 'providers', () => prov({ provider_id: 'P1', name: 'Other' }), 'provider_id', /provider_id repeated in the file/],
	['order_id repeated', 'orders', () => ord({ order_id: 'O1' }), 'order_id', /order_id repeated/],
	['ctr (sku_id, date) repeated', 'ctr_daily', () => ctr({ sku_id: 'SKU1', date: '2026-03-01' }), 'sku_id', /key \(sku_id, date\) repeated/],
	// the same instant written differently is the same key
	['revision key repeated (same instant, other offset)', 'revisions', () => rev({ order_id: 'O1', requested_at: '2026-03-04T00:00:00Z' }), 'order_id', /key \(order_id, requested_at\) repeated/],
	['payment_id repeated', 'payments', () => pay({ payment_id: 'PAY1' }), 'payment_id', /repeated/],
	['second dispute for an order', 'disputes', () => dis({ dispute_id: 'D2', order_id: 'O2' }), 'order_id', /order_id repeated/],
	['second delisting for an order', 'delistings', () => del({ delisting_id: 'L2', order_id: 'O1' }), 'order_id', /order_id repeated/],
	// time rules
	['matched before published', 'orders', () => ord({ matched_at: '2026-03-01 08:00:00' }), 'matched_at', /matched_at is before published_at/],
	['delivered before first draft', 'orders', () => ord({ delivered_at: '2026-03-02 12:00:00' }), 'delivered_at', /delivered_at is before first_draft_at/],
	['live before accepted (gaps skipped)', 'orders', () => ord({ matched_at: '', first_draft_at: '', delivered_at: '2026-03-05 10:00:00', accepted_at: '2026-03-06 10:00:00', live_at: '2026-03-06 09:00:00' }), 'live_at', /live_at is before accepted_at/],
	['delivered and cancelled', 'orders', () => ord({ delivered_at: '2026-03-05 10:00:00', cancelled_at: '2026-03-06 10:00:00' }), 'cancelled_at', /both delivered and cancelled/],
	['cancelled before published', 'orders', () => ord({ matched_at: '', first_draft_at: '', cancelled_at: '2026-02-28 10:00:00' }), 'cancelled_at', /cancelled_at is before published_at/],
	['revision before the order was published', 'revisions', () => rev({ requested_at: '2026-02-28 08:00:00' }), 'requested_at', /before the order's published_at/],
	['dispute before delivery', 'disputes', () => dis({ order_id: 'O1', opened_at: '2026-03-05 09:59:59' }), 'opened_at', /opened before the order was delivered/],
	['dispute more than 72 h after delivery', 'disputes', () => dis({ order_id: 'O1', opened_at: '2026-03-08 10:00:01' }), 'opened_at', /more than 72 hours after delivery/],
	['dispute on an undelivered order', 'disputes', () => dis({ order_id: 'O4' }), 'opened_at', /has not been delivered/],
	['provider_fault on an order that went live', 'disputes', () => dis({ order_id: 'O1', ruling: 'provider_fault', resolved_at: '2026-03-07 09:00:00' }), 'ruling', /went live/],
	['ruling without resolved_at', 'disputes', () => dis({ ruling: 'rejected' }), 'ruling', /needs resolved_at/],
	['resolved_at without ruling', 'disputes', () => dis({ resolved_at: '2026-03-07 09:00:00' }), 'resolved_at', /needs a ruling/],
	['clicks above impressions', 'ctr_daily', () => ctr({ impressions: '10', clicks: '11' }), 'clicks', /clicks above impressions/]
];

describe('catalogue of bad rows', () => {
	it.each(cases)('%s', async (_name, table, row, column, reason) => {
		const folder = goodFolder();
		const good = folder[table]!.length;
		folder[table] = [...folder[table]!, row()];
		const db = await freshDb();
		try {
			const { report, rejects } = await load(db, writeFolder(folder));
			expect(rejects).toHaveLength(1);
			expect(rejects[0]).toMatchObject({ file: `${table}.csv`, line: String(good + 2), column });
			expect(rejects[0].reason).toMatch(reason);
			expect(report.status).toBe('partial');
			// every good row of every file loaded
			for (const t of report.tables) {
				const want = g[t.table]!.length;
				expect([t.table, t.loaded, t.rejected]).toEqual([t.table, want, t.table === table ? 1 : 0]);
				const n = await db.one<{ n: number }>(`SELECT count(*)::BIGINT AS n FROM ${t.table}`);
				expect(n?.n).toBe(want);
			}
			// the raw record is kept as read (an empty cell is null)
			expect(JSON.parse(rejects[0].record)).toEqual(Object.fromEntries(Object.entries(row()).map(([k, v]) => [k, v === '' ? null : v])));
		} finally {
			await db.close();
		}
	});

	it('a dispute for an order that already has another dispute in the database', async () => {
		const db = await freshDb();
		try {
			await load(db, writeFolder(goodFolder()));
			const { rejects } = await load(db, writeFolder({ disputes: [dis({ dispute_id: 'D5', order_id: 'O2' })] }));
			expect(rejects).toMatchObject([{ file: 'disputes.csv', line: '2', column: 'order_id' }]);
			expect(rejects[0].reason).toMatch(/already has another dispute/);
		} finally {
			await db.close();
		}
	});

	it('references resolve against rows already in the database', async () => {
		const db = await freshDb();
		try {
			await load(db, writeFolder(goodFolder()));
			const { report, rejects } = await load(db, writeFolder({ orders: [ord({ seller_id: 'S2', provider_id: 'P2' })], payments: [pay({})] }));
			expect(rejects).toEqual([]);
			expect(report.status).toBe('ok');
			expect(tableRow(report, 'orders').loaded).toBe(1);
		} finally {
			await db.close();
		}
	});

	it('several bad rows: each reported on its own line, first failing column only', async () => {
		const folder = goodFolder();
		folder.ctr_daily!.push(ctr({ sku_id: 'A', clicks: 'x', impressions: '-1' }), ctr({ sku_id: 'B' }), ctr({ sku_id: 'C', date: '2026-02-29' }));
		const db = await freshDb();
		try {
			const { rejects } = await load(db, writeFolder(folder));
			expect(rejects.map((r) => [r.line, r.column, r.value])).toEqual([
				['5', 'impressions', '-1'],
				['7', 'date', '2026-02-29']
			]);
		} finally {
			await db.close();
		}
	});
});

describe('whole files', () => {
	it('a missing required column rejects the whole file, naming the column; the other files load', async () => {
		const folder = goodFolder();
		const cols = ['order_id', 'seller_id', 'provider_id', 'sku_id', 'category', 'image_type', 'image_count', 'rush', 'store_license', 'delivery_days', 'reference_images', 'has_3d_model', 'spec_form_filled', 'published_at'];
		const { csvOf } = await import('../../fixtures/ingest/folder.ts');
		const db = await freshDb();
		try {
			// without `languages` and the optional milestones the file is fine …
			const ok = await load(db, writeFolder({ ...folder, revisions: [], disputes: [], delistings: [] }, { 'orders.csv': csvOf('orders', folder.orders!, cols) }));
			expect(tableRow(ok.report, 'orders')).toMatchObject({ loaded: 4, rejected: 0 });
			expect(tableRow(ok.report, 'orders').error).toBeUndefined();
			// … without image_count it is rejected whole
			const db2 = await freshDb();
			const bad = await load(db2, writeFolder(folder, { 'orders.csv': csvOf('orders', folder.orders!, cols.filter((c) => c !== 'image_count')) }));
			expect(tableRow(bad.report, 'orders').error).toMatch(/missing required column: image_count/);
			expect(tableRow(bad.report, 'orders').loaded).toBe(0);
			expect(tableRow(bad.report, 'providers').loaded).toBe(2);
			expect(bad.report.status).toBe('partial');
			await db2.close();
		} finally {
			await db.close();
		}
	});

	it('an unparseable file loads nothing and rows already in the database stay', async () => {
		const db = await freshDb();
		try {
			await load(db, writeFolder(goodFolder()));
			const before = await db.all('SELECT * FROM ctr_daily ORDER BY ALL');
			const broken = 'sku_id,date,impressions,clicks,add_to_cart\nSKU1,2026-03-01,5,1,0\nSKU1,2026-03-03,"5,1,0\nSKU2,2026-03-01,5,1\n';
			const folder = goodFolder();
			folder.providers!.push(prov({}));
			const { report } = await load(db, writeFolder(folder, { 'ctr_daily.csv': broken }));
			expect(tableRow(report, 'ctr_daily').error).toMatch(/cannot be parsed/);
			expect(tableRow(report, 'ctr_daily').loaded).toBe(0);
			expect(await db.all('SELECT * FROM ctr_daily ORDER BY ALL')).toEqual(before);
			expect(tableRow(report, 'providers').loaded).toBe(1);
			expect(report.status).toBe('partial');
		} finally {
			await db.close();
		}
	});

	it('a row with too many fields makes the file unparseable (strict RFC 4180)', async () => {
		const db = await freshDb();
		try {
			const { report } = await load(db, writeFolder({ providers: goodFolder().providers }, { 'providers.csv': 'provider_id,name,certified_at\nP1,A,2024-01-01\nP2,B,2024-01-01,extra\n' }));
			expect(tableRow(report, 'providers').error).toMatch(/cannot be parsed.*Line: 3/);
			expect(report.status).toBe('failed');
		} finally {
			await db.close();
		}
	});
});
