/**
 * DiD control from the pre-aggregated cells (preagg/sql/ctr_did_cells.sql + sql/ctr_did_cells.sql)
 * = the control searched per request (sql/ctr_did_control.sql + sql/ctr_moments.sql, the
 * definition): the same ctr_did rows, exactly, over groupings and filters of a sample. And the
 * cells a CTR-only load refreshes in part equal a full rebuild.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/lib/server/db/connection.ts';
import { openProjectDb } from '../../../src/lib/server/db/open.ts';
import { writeSample } from '../../../src/lib/server/sample/index.ts';
import { ingestFolder } from '../../../src/lib/server/ingest/index.ts';
import { bumpDataVersion, ensurePreaggregates, preaggFresh } from '../../../src/lib/server/preagg/index.ts';
import { rebuildCtrDidCells } from '../../../src/lib/server/preagg/ctr-units.ts';
import { runCtr } from '../../../src/lib/server/metrics/ctr.ts';
import { contextFrom } from '../../../src/lib/server/metrics/context.ts';
import { metricRequestSchema } from '../../../src/lib/server/metrics/request.ts';

let db: Db;
let dir: string;
const TODAY = '2026-11-15';

beforeAll(async () => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ctr-did-cells-'));
	await writeSample({ scale: 0.05, seed: 3, asOf: TODAY, out: path.join(dir, 'one') });
	db = await openProjectDb({ path: ':memory:' });
	const r1 = await ingestFolder(db, path.join(dir, 'one'), { loadsDir: path.join(dir, 'loads') });
	expect(r1.status, JSON.stringify(r1).slice(0, 2000)).toBe('ok');
	await ensurePreaggregates(db);
	expect(await preaggFresh(db)).toBe(true);
}, 180_000);

afterAll(async () => {
	await db?.close();
	if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const didState = async () => (await db.one<{ value: string }>(`SELECT value FROM preagg_state WHERE key = 'ctr_did_load'`))?.value;

/** runCtr with the cells (asserting they were read) and with the control searched (cells marked stale). */
async function bothWays(raw: unknown) {
	const req = metricRequestSchema.parse(raw);
	const ctx = { ...contextFrom({ today: TODAY }), preagg: true };
	const seen: string[] = [];
	const rec = { all: <T,>(sql: string, p: Record<string, unknown>) => (seen.push(sql), db.all<T>(sql, p)) } as unknown as Db;
	const cells = await runCtr(rec, req, { sellerId: null }, ctx);
	expect(seen.some((q) => q.includes('JOIN ctr_did_cells'))).toBe(true);
	const state = await didState();
	// a write around the loader: bump the data version, as such writes must
	await db.run(`UPDATE preagg_state SET value = '-1' WHERE key = 'ctr_did_load'`);
	bumpDataVersion();
	seen.length = 0;
	const searched = await runCtr(rec, req, { sellerId: null }, ctx).finally(async () => {
		await db.run(`UPDATE preagg_state SET value = $v WHERE key = 'ctr_did_load'`, { v: state! });
		bumpDataVersion();
	});
	expect(seen.some((q) => q.includes('ctr_did_cells'))).toBe(false);
	return { cells, searched };
}

describe('ctr_did from the cells = searched control', () => {
	it.each([
		{ name: 'by category, a range', req: { metric: 'ctr_did', groupBy: 'category', range: { from: '2026-05-01', to: '2026-08-31' } } },
		{ name: 'total, all time', req: { metric: 'ctr_did' } },
		{ name: 'by provider', req: { metric: 'ctr_did', groupBy: 'provider' } },
		{ name: 'by month, one category', req: { metric: 'ctr_did', groupBy: 'month', filters: { category: ['home'] } } },
		{ name: 'by week, window close range', req: { metric: 'ctr_did', groupBy: 'week', range: { column: 'window_closed_on', from: '2026-03-01', to: '2026-06-30' } } }
	])('$name', async ({ req }) => {
		const { cells, searched } = await bothWays(req);
		expect(searched.rows.length).toBeGreaterThan(0);
		expect(searched.rows.some((r) => (r.control_units as number) > 0)).toBe(true);
		expect(cells).toEqual(searched);
	});
});

describe('refresh after a CTR-only load', () => {
	it('redoes the touched cells = a full rebuild, and answers the same', async () => {
		const two = path.join(dir, 'two');
		fs.mkdirSync(two);
		// CTR days of SKUs with and without a live order, changed: control units' windows move
		await db.run(
			`COPY (SELECT sku_id, strftime(date, '%Y-%m-%d') AS date, impressions + 500 AS impressions, clicks + 7 AS clicks, add_to_cart
			 FROM ctr_daily WHERE hash(sku_id) % 9 = 0 AND date BETWEEN DATE '2026-04-01' AND DATE '2026-05-15')
			 TO '${path.join(two, 'ctr_daily.csv')}' (HEADER, DELIMITER ',')`
		);
		const before = await db.all('SELECT * FROM ctr_did_cells ORDER BY category, live_day');
		expect((await ingestFolder(db, two, { loadsDir: path.join(dir, 'loads') })).status).toBe('ok');
		await ensurePreaggregates(db);
		expect(await preaggFresh(db)).toBe(true);
		const last = (await db.one<{ id: number }>(`SELECT max(load_id)::BIGINT AS id FROM loads WHERE status <> 'failed'`))!.id;
		expect(await didState()).toBe(String(last));
		const refreshed = await db.all('SELECT * FROM ctr_did_cells ORDER BY category, live_day');
		expect(refreshed).not.toEqual(before);
		await db.tx((tx) => rebuildCtrDidCells(tx));
		expect(await db.all('SELECT * FROM ctr_did_cells ORDER BY category, live_day')).toEqual(refreshed);
		const { cells, searched } = await bothWays({ metric: 'ctr_did', groupBy: 'category', range: { from: '2026-04-01', to: '2026-06-30' } });
		expect(cells).toEqual(searched);
	});
});

describe('ctr_orders total count from a cube = count of the orders', () => {
	it.each([
		{ metric: 'ctr_orders', range: { from: '2026-03-10', to: '2026-08-20' } },
		{ metric: 'ctr_orders' },
		{ metric: 'ctr_orders', filters: { category: ['home', 'jewelry'] }, range: { from: '2026-01-01', to: '2026-10-31' } }
	])('%j', async (raw) => {
		const req = metricRequestSchema.parse(raw);
		const seen: string[] = [];
		const rec = { all: <T,>(sql: string, p: Record<string, unknown>) => (seen.push(sql), db.all<T>(sql, p)) } as unknown as Db;
		const pre = await runCtr(rec, req, { sellerId: null }, { ...contextFrom({ today: TODAY }), preagg: true });
		expect(seen.some((q) => q.includes('sum(live_orders)') && q.includes('ctr_cube_month'))).toBe(true);
		const raw2 = await runCtr(db, req, { sellerId: null }, { ...contextFrom({ today: TODAY }), preagg: false });
		expect(pre.meta.totalRows).toBeGreaterThan(10);
		expect(pre.meta.totalRows).toBe(raw2.meta.totalRows);
		expect(pre.rows.map((r) => r.order_id)).toEqual(raw2.rows.map((r) => r.order_id));
	});
});
