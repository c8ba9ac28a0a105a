import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../src/lib/server/db/connection.ts';

// The pool keeps each connection's prepared SELECTs (connection.ts): a repeated statement must
// answer exactly as a fresh one would, whatever happened in between.
describe('prepared statements kept by the pool', () => {
	let db: Db | null = null;
	afterEach(async () => {
		await db?.close();
		db = null;
	});

	it('binds each call’s own parameters and sees rows, replaced tables and views written since', async () => {
		db = await openDatabase({ path: ':memory:', connections: 1 });
		await db.run('CREATE TABLE t AS SELECT * FROM range(10) r(x)');
		await db.run('CREATE VIEW v AS SELECT x FROM t');
		const q = 'SELECT count(*) AS n, sum(x) AS s FROM v WHERE x >= $lo';
		expect(await db.all(q, { lo: 5 })).toEqual([{ n: 5, s: 35 }]);
		expect(await db.all(q, { lo: 8 })).toEqual([{ n: 2, s: 17 }]);
		await db.run('INSERT INTO t VALUES (100)');
		expect(await db.all(q, { lo: 8 })).toEqual([{ n: 3, s: 117 }]);
		await db.run('CREATE OR REPLACE TABLE t AS SELECT x * 2 AS x, 1 AS y FROM range(3) r(x)');
		expect(await db.all(q, { lo: 0 })).toEqual([{ n: 3, s: 6 }]);
		await db.run('CREATE OR REPLACE VIEW v AS SELECT x + 1 AS x FROM t');
		expect(await db.all(q, { lo: 0 })).toEqual([{ n: 3, s: 9 }]);
		await db.run('DROP VIEW v');
		await expect(db.all(q, { lo: 0 })).rejects.toThrow(/v/);
		await db.run('CREATE VIEW v AS SELECT 7 AS x');
		expect(await db.all(q, { lo: 0 })).toEqual([{ n: 1, s: 7 }]);
	});

	it('a missing parameter is an error, not the previous call’s value', async () => {
		db = await openDatabase({ path: ':memory:', connections: 1 });
		const q = 'SELECT $a::INTEGER + $b::INTEGER AS v';
		expect(await db.all(q, { a: 1, b: 2 })).toEqual([{ v: 3 }]);
		await expect(db.all(q, { a: 1 })).rejects.toThrow();
		expect(await db.all(q, { a: 5, b: 5 })).toEqual([{ v: 10 }]);
	});

	it('volatile functions and sequences run again on every call', async () => {
		db = await openDatabase({ path: ':memory:', connections: 1 });
		await db.run('CREATE SEQUENCE s');
		const q = 'SELECT nextval($seq) AS n';
		expect(await db.all(q, { seq: 's' })).toEqual([{ n: 1 }]);
		expect(await db.all(q, { seq: 's' })).toEqual([{ n: 2 }]);
		const a = await db.all<{ t: Date }>('SELECT now() AS t WHERE $x', { x: true });
		await new Promise((r) => setTimeout(r, 5));
		const b = await db.all<{ t: Date }>('SELECT now() AS t WHERE $x', { x: true });
		expect(b[0].t.getTime()).toBeGreaterThan(a[0].t.getTime());
	});

	it('statements that are not one SELECT run as before, every time', async () => {
		db = await openDatabase({ path: ':memory:', connections: 1 });
		await db.all('CREATE TABLE w (x INTEGER)', {});
		await db.all('INSERT INTO w VALUES ($x)', { x: 1 });
		await db.all('INSERT INTO w VALUES ($x)', { x: 2 });
		expect(await db.all('SELECT 1 AS a; SELECT sum(x) AS s FROM w WHERE x > $lo', { lo: 0 })).toEqual([{ s: 3 }]);
		expect(await db.all('SELECT 1 AS a; SELECT sum(x) AS s FROM w WHERE x > $lo', { lo: 1 })).toEqual([{ s: 2 }]);
		// and a session setting read at execution (the Shanghai day of an instant)
		expect(await db.all(`SELECT ($t::TIMESTAMPTZ)::DATE AS d`, { t: '2026-01-31T16:30:00Z' })).toEqual([{ d: '2026-02-01' }]);
		expect(await db.all(`SELECT ($t::TIMESTAMPTZ)::DATE AS d`, { t: '2026-01-31T15:30:00Z' })).toEqual([{ d: '2026-01-31' }]);
	});

	it('keeps a bounded number per connection and still answers after evicting', async () => {
		db = await openDatabase({ path: ':memory:', connections: 1 });
		for (let i = 0; i < 300; i++) expect(await db.all(`SELECT $v::INTEGER + ${i} AS v`, { v: 1 })).toEqual([{ v: i + 1 }]);
		expect(await db.all(`SELECT $v::INTEGER + 0 AS v`, { v: 2 })).toEqual([{ v: 2 }]);
	});
});
