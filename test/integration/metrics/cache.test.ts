/** The result cache (engine.ts createResultCache): hits while the data version stands, forgets on a load or a bill run, hands out copies. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/lib/server/db/connection.ts';
import { createResultCache } from '../../../src/lib/server/metrics/engine.ts';
import { runMetric } from '../../../src/lib/server/metrics/run.ts';
import { emptyDb } from './fixture.ts';

let db: Db;
beforeAll(async () => {
	db = await emptyDb();
	await db.run(`CREATE TABLE t AS SELECT range AS x FROM range(5)`);
});
afterAll(async () => db?.close());

describe('createResultCache', () => {
	it('answers repeated statements from memory until a load or a bill run changes the version', async () => {
		const c = createResultCache(db, { maxEntries: 2 });
		const q = (n: number) => c.all<{ n: number }>('SELECT count(*) AS n FROM t WHERE x < $n', { n });
		expect((await q(3))[0].n).toBe(3);
		await db.run('INSERT INTO t VALUES (0)'); // a write around the loader is not seen (documented)
		expect((await q(3))[0].n).toBe(3);
		expect(c.stats()).toMatchObject({ hits: 1, misses: 1 });
		await db.run(`INSERT INTO loads VALUES (7, now(), now(), 'test', 'test', 'ok', NULL, NULL, NULL)`);
		expect((await q(3))[0].n).toBe(4);
		await db.run(`INSERT INTO t VALUES (1)`);
		await db.run(`INSERT INTO bill_runs (month, issued_at, actor, data_watermark, run_json) VALUES ('2026-01', now(), 'test', 7, '{}')`);
		expect((await q(3))[0].n).toBe(5);
		// bounded: the least recently used entry goes
		await q(1);
		await q(2);
		expect(c.stats().entries).toBe(2);
	});

	it('hands out copies, so a caller shaping rows in place does not change the next answer', async () => {
		const c = createResultCache(db);
		const a = await c.all<{ x: number }>('SELECT 1 AS x', {});
		a[0].x = 99;
		delete (a[0] as Partial<{ x: number }>).x;
		expect(await c.all('SELECT 1 AS x', {})).toEqual([{ x: 1 }]);
	});

	it('gives runMetric the same result as the Db, twice', async () => {
		const c = createResultCache(db);
		const req = { metric: 'sla_items', sla: 'on_time_delivery', limit: 5 } as const;
		const direct = await runMetric(db, req, { sellerId: null }, { today: '2026-03-01' });
		expect(await runMetric(c, req, { sellerId: null }, { today: '2026-03-01' })).toEqual(direct);
		expect(await runMetric(c, req, { sellerId: null }, { today: '2026-03-01' })).toEqual(direct);
		expect(c.stats().hits).toBeGreaterThan(0);
	});
});
