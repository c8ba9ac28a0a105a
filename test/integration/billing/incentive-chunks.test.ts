/**
 * The billing job reads incentive decisions in chunks (incentiveDecisionChunks) so a month's are
 * never all in memory: the chunks, concatenated, must be exactly incentiveDecisions' list, from the
 * pre-aggregates and from the raw tables. Sample data (scale 0.05) through the loader.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/lib/server/db/connection.ts';
import { openProjectDb } from '../../../src/lib/server/db/open.ts';
import { writeSample } from '../../../src/lib/server/sample/index.ts';
import { ingestFolder } from '../../../src/lib/server/ingest/index.ts';
import { ensurePreaggregates, preaggFresh } from '../../../src/lib/server/preagg/index.ts';
import { incentiveDecisionChunks, incentiveDecisions, type OrderIncentive } from '../../../src/lib/server/metrics/incentives.ts';

let db: Db;
let dir: string;
let month: string;
const ALL = { sellerId: null };

beforeAll(async () => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'incentive-chunks-'));
	await writeSample({ scale: 0.05, seed: 7, asOf: '2026-11-15', out: dir });
	db = await openProjectDb({ path: ':memory:' });
	await ingestFolder(db, dir);
	await ensurePreaggregates(db);
	// the month in which the most result windows close
	month = (await db.one<{ m: string }>(`SELECT strftime(live_at::DATE + 29, '%Y-%m') AS m FROM orders WHERE live_at IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`))!.m;
}, 180_000);

afterAll(async () => {
	await db?.close();
	if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function chunked(chunkRows: number): Promise<{ sizes: number[]; rows: OrderIncentive[] }> {
	return db.tx(async (t) => {
		const sizes: number[] = [];
		const rows: OrderIncentive[] = [];
		for await (const c of incentiveDecisionChunks(t, { closesInMonth: month, scope: ALL }, chunkRows)) {
			sizes.push(c.length);
			rows.push(...c);
		}
		// the temp table is gone afterwards
		expect(await t.all(`SELECT 1 FROM duckdb_tables() WHERE table_name = '_incentive_inputs'`)).toEqual([]);
		return { sizes, rows };
	});
}

describe('incentiveDecisionChunks', () => {
	it('concatenated chunks equal incentiveDecisions (pre-aggregates), in order_id order', async () => {
		expect(await preaggFresh(db)).toBe(true);
		const whole = await incentiveDecisions(db, { closesInMonth: month, scope: ALL });
		expect(whole.length).toBeGreaterThan(20);
		expect(whole.some((d) => d.qualifies && d.amountFen > 0)).toBe(true);
		const { sizes, rows } = await chunked(7);
		expect(sizes.length).toBe(Math.ceil(whole.length / 7));
		expect(sizes.slice(0, -1).every((n) => n === 7)).toBe(true);
		expect(rows).toEqual(whole);
	});

	it('the same from the raw tables when the pre-aggregates are stale', async () => {
		await db.run(`INSERT INTO order_facts SELECT * FROM order_facts LIMIT 1`);
		try {
			expect(await preaggFresh(db)).toBe(false);
			const whole = await incentiveDecisions(db, { closesInMonth: month, scope: ALL });
			expect((await chunked(11)).rows).toEqual(whole);
		} finally {
			await db.run(`DELETE FROM order_facts WHERE rowid = (SELECT max(rowid) FROM order_facts)`);
		}
	});

	it('no orders selected: no chunks', async () => {
		const out = await db.tx(async (t) => {
			const got: OrderIncentive[][] = [];
			for await (const c of incentiveDecisionChunks(t, { closesInMonth: '1999-01', scope: ALL })) got.push(c);
			return got;
		});
		expect(out).toEqual([]);
	});
});
