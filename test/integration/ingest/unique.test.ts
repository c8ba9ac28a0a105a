import { afterAll, beforeAll, expect, test } from 'vitest';
import fc from 'fast-check';
import type { Db } from '../../../src/lib/server/db/connection.ts';
import { provenUnique } from '../../../src/lib/server/ingest/merge.ts';
import { freshDb } from './helpers.ts';

// provenUnique (merge.ts) lets a load skip grouping every key: it must never say "unique" for rows
// with a repeated key (sound), and it must succeed for the orders exports come in (sorted by the
// key either way round), else the first load pays for a hash grouping of the whole table.

let db: Db;
beforeAll(async () => {
	db = await freshDb();
});
afterAll(async () => {
	await db.close();
});

type Row = [string | null, number | null];

async function proven(rows: Row[], key: string[]): Promise<boolean> {
	// the temp table's scan order is the rows' order
	await db.run(
		`CREATE OR REPLACE TEMP TABLE u AS SELECT a, b FROM (SELECT unnest(from_json($j, '["JSON"]')) AS r, generate_subscripts(from_json($j, '["JSON"]'), 1) AS i, r->>0 AS a, (r->>1)::INTEGER AS b) ORDER BY i`,
		{ j: JSON.stringify(rows) }
	);
	const notNull = key.map((c) => `${c} IS NOT NULL`).join(' AND ');
	return provenUnique(db, 'u', key, notNull);
}

const distinctKeys = (rows: Row[], key: string[]) => {
	const ks = rows.filter((r) => key.every((c) => r[c === 'a' ? 0 : 1] !== null)).map((r) => JSON.stringify(key.map((c) => r[c === 'a' ? 0 : 1])));
	return new Set(ks).size === ks.length;
};

test('sorted either way round, or one run per value: proven; a repeat anywhere: not', async () => {
	const sorted: Row[] = [['s1', 1], ['s1', 2], ['s1', 5], ['s2', 1], ['s3', 1], ['s3', 2]];
	expect(await proven(sorted, ['a', 'b'])).toBe(true);
	const dateMajor: Row[] = [['s1', 1], ['s2', 1], ['s3', 1], ['s1', 2], ['s3', 2], ['s1', 5]];
	expect(await proven(dateMajor, ['a', 'b'])).toBe(true);
	const runs: Row[] = [['s3', 1], ['s3', 2], ['s1', 1], ['s1', 4], ['s2', 7]];
	expect(await proven(runs, ['a', 'b'])).toBe(true);
	expect(await proven([...sorted, ['s3', 2]], ['a', 'b'])).toBe(false);
	expect(await proven([['s1', 1], ['s2', 1], ['s1', 1]], ['a', 'b'])).toBe(false);
	expect(await proven([['a', null], ['b', null], ['c', null]], ['a'])).toBe(true);
	expect(await proven([['a', null], ['c', null], ['b', null]], ['a'])).toBe(false); // not sorted: the caller groups
	expect(await proven([['a', null], ['a', null]], ['a'])).toBe(false);
});

test('never proves a repeated key unique (random rows, random order)', async () => {
	const row = fc.tuple(fc.option(fc.constantFrom('s1', 's2', 's3', 's10'), { freq: 8 }), fc.option(fc.integer({ min: 0, max: 4 }), { freq: 8 }));
	await fc.assert(
		fc.asyncProperty(fc.array(row, { maxLength: 30 }), fc.boolean(), async (rows, sort) => {
			if (sort) rows.sort((x, y) => (String(x[0]) < String(y[0]) ? -1 : String(x[0]) > String(y[0]) ? 1 : (x[1] ?? -1) - (y[1] ?? -1)));
			for (const key of [['a', 'b'], ['b', 'a'], ['a'], ['b']]) {
				if (await proven(rows, key)) expect(distinctKeys(rows, key)).toBe(true);
			}
		}),
		{ numRuns: 80 }
	);
});
