import { afterAll, beforeAll, expect, test } from 'vitest';
import fc from 'fast-check';
import type { Db } from '../../../src/lib/server/db/connection.ts';
import { fromText } from '../../../src/lib/server/ingest/columns.ts';
import { freshDb } from './helpers.ts';

// The "not an integer" check of columns.ts (a text cell of an int column), evaluated by DuckDB,
// against the rule written out in JS: `[+-]?` and 1–18 digits, or the cast's own spelling of a
// BIGINT (no sign but '-', no leading zero). DuckDB's cast alone would also take ' 5', '1.5',
// '1e3', '0x10', '1_000'. A cheaper SQL check must keep this test passing.
const BIG = 2n ** 63n;
const isInt = (s: string) => /^[+-]?[0-9]{1,18}$/.test(s) || (/^-?(0|[1-9][0-9]*)$/.test(s) && BigInt(s) >= -BIG && BigInt(s) < BIG);

let db: Db;
beforeAll(async () => {
	db = await freshDb();
});
afterAll(async () => {
	await db.close();
});

/** The values the SQL check and the JS rule disagree on. */
async function disagreements(values: string[]): Promise<{ s: string; rejected: boolean }[]> {
	const check = fromText({ name: 'n', type: 'int' }, 's').checks.find(([, r]) => r === "'not an integer'");
	if (!check) throw new Error('no integer check');
	const rows = await db.all<{ s: string; rejected: boolean }>(
		`SELECT s, coalesce(${check[0].replaceAll('§', '_p')}, false) AS rejected
		 FROM (SELECT s, TRY_CAST(s AS BIGINT) AS _p FROM (SELECT unnest(from_json($j, '["VARCHAR"]')) AS s))`,
		{ j: JSON.stringify(values) }
	);
	expect(rows.length).toBe(values.length);
	return rows.filter((r) => r.rejected === isInt(r.s));
}

test('hand-picked spellings', async () => {
	const ok = ['5', '007', '-5', '+5', '-0', '2147483648', '123456789012345678', '1234567890123456789', '-9223372036854775808'];
	const bad = [' 5', '5 ', '1.5', '1e3', '0x10', '1_000', '0000000000000000001', '+1234567890123456789', '9223372036854775808', 'a', '٣', '--5'];
	expect([...ok.map(isInt), ...bad.map(isInt)]).toEqual([...ok.map(() => true), ...bad.map(() => false)]);
	expect(await disagreements([...ok, ...bad])).toEqual([]);
});

test('random strings near integers: SQL check = the rule', async () => {
	const unit = fc.constantFrom('0', '1', '5', '9', ' ', '\t', '-', '+', '.', 'e', 'E', 'x', 'b', '_', 'a', 'Z', '٣', 'é');
	const digits = fc.string({ unit: fc.constantFrom('0', '1', '9'), minLength: 1, maxLength: 22 });
	const value = fc.oneof(fc.string({ unit, minLength: 1, maxLength: 22 }), digits, digits.map((d) => '-' + d));
	await fc.assert(
		fc.asyncProperty(fc.array(value, { minLength: 1, maxLength: 300 }), async (values) => {
			expect(await disagreements(values)).toEqual([]);
		}),
		{ numRuns: 60 }
	);
});
