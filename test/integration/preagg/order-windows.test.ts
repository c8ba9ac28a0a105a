/**
 * order_windows.sql (live orders as the join's build side, sums grouped by rowid and window) gives
 * exactly the rows of the former build, a 37-day grid per live order LEFT JOINed to ctr_daily
 * (order_windows_grid.sql here): on generated data, plus orders with no CTR row at all, with CTR
 * rows only on the window's first and last days, and just outside the window.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/lib/server/db/connection.ts';
import { openProjectDb } from '../../../src/lib/server/db/open.ts';
import { ingestFolder } from '../../../src/lib/server/ingest/index.ts';
import { writeSample } from '../../../src/lib/server/sample/index.ts';
import { preaggSql } from '../../../src/lib/server/preagg/sql.ts';

let db: Db;
let dir: string;
const grid = fs.readFileSync(path.join(import.meta.dirname, 'order_windows_grid.sql'), 'utf8').replace(/;\s*$/, '');
const rows = (sql: string, where = 'true') => db.all(`${sql.replaceAll('{{orders_where}}', where)} ORDER BY order_id`);

beforeAll(async () => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preagg-windows-'));
	await writeSample({ scale: 0.03, seed: 21, asOf: '2026-11-15', out: path.join(dir, 'one') });
	db = await openProjectDb({ path: ':memory:' });
	expect((await ingestFolder(db, path.join(dir, 'one'), { loadsDir: path.join(dir, 'loads') })).status).toBe('ok');
	// Edge cases written directly: a live order whose SKU has no CTR row, and one with rows on
	// L−8 (outside), L−7, L+29 (first and last window days) and L+30 (outside).
	const one = await db.one<{ order_id: string; sku_id: string }>('SELECT order_id, sku_id FROM orders WHERE live_at IS NOT NULL ORDER BY order_id LIMIT 1');
	await db.run(`INSERT INTO orders SELECT * REPLACE ('ZZ-NOCTR' AS order_id, 'SKU-NONE' AS sku_id) FROM orders WHERE order_id = $o`, { o: one!.order_id });
	await db.run(`INSERT INTO orders SELECT * REPLACE ('ZZ-EDGES' AS order_id, 'SKU-EDGES' AS sku_id) FROM orders WHERE order_id = $o`, { o: one!.order_id });
	await db.run(
		`INSERT INTO ctr_daily SELECT 'SKU-EDGES', (SELECT live_at::DATE FROM orders WHERE order_id = 'ZZ-EDGES') + k, 1000 + k, 50 + k, 7, 0 FROM (VALUES (-8), (-7), (29), (30)) t(k)`
	);
}, 240_000);

afterAll(async () => {
	await db?.close();
	if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('order_windows build', () => {
	it('equals the 37-day grid build for every live order', async () => {
		const got = await rows(preaggSql('order_windows.sql'));
		expect(got.length).toBeGreaterThan(200);
		expect(got).toEqual(await rows(grid));
	});

	it('equals it for a subset of orders (the incremental refresh), edge cases included', async () => {
		const where = `order_id IN ('ZZ-NOCTR', 'ZZ-EDGES') OR order_id IN (SELECT order_id FROM orders ORDER BY order_id LIMIT 25)`;
		const got = await rows(preaggSql('order_windows.sql'), where);
		expect(got).toEqual(await rows(grid, where));
		const byId = Object.fromEntries(got.map((r) => [(r as { order_id: string }).order_id, r as Record<string, number>]));
		expect(byId['ZZ-NOCTR']).toMatchObject({ b_days_with_data: 0, r_days_with_data: 0, b_impr: 0, r_impr: 0, r_an: 0 });
		// L−7 counts in the baseline, L+29 in the result window; L−8 and L+30 in neither
		expect(byId['ZZ-EDGES']).toMatchObject({ b_days_with_data: 1, r_days_with_data: 1, b_impr: 993, r_impr: 1029, b_clicks: 43, r_clicks: 79, b_cn: 43 * 993 });
	});
});
