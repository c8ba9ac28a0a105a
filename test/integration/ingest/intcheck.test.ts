import { afterAll, beforeAll, expect, test } from 'vitest';
import fc from 'fast-check';
import type { Db } from '../../../src/lib/server/db/connection.ts';
import type { ColumnSpec } from '../../../src/lib/server/db/contract.ts';
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

/**
 * The values the SQL checks and the JS rule disagree on: every check of the int column, in order,
 * with the column's own parse, as the staging pass runs them; "rejected" = the first failing check
 * says 'not an integer'.
 */
async function disagreements(values: string[]): Promise<{ s: string; rejected: boolean }[]> {
	const sql = fromText({ name: 'n', type: 'int' }, 's');
	if (!sql.parse || !sql.checks.some(([, r]) => r === "'not an integer'")) throw new Error('no integer check');
	const sub = (x: string) => x.replaceAll('§', '_p');
	const reason = `CASE ${sql.checks.map(([w, r]) => `WHEN ${sub(w)} THEN ${sub(r)}`).join(' ')} END`;
	const rows = await db.all<{ s: string; rejected: boolean }>(
		`SELECT s, coalesce(${reason} = 'not an integer', false) AS rejected
		 FROM (SELECT s, ${sql.parse} AS _p FROM (SELECT unnest(from_json($j, '["VARCHAR"]')) AS s))`,
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

/** The reason the staging pass gives each value of an int column `col` (null = loads). */
async function reasons(col: ColumnSpec, values: string[]): Promise<(string | null)[]> {
	const sql = fromText(col, 's');
	const sub = (x: string) => x.replaceAll('§', '_p');
	const reason = `CASE ${sql.checks.filter(([, r]) => r !== 'NULL').map(([w, r]) => `WHEN ${sub(w)} THEN ${sub(r)}`).join(' ')} END`;
	const rows = await db.all<{ r: string | null }>(
		`SELECT ${reason} AS r FROM (SELECT s, i, ${sql.parse} AS _p FROM (SELECT unnest(from_json($j, '["VARCHAR"]')) AS s, generate_subscripts(from_json($j, '["VARCHAR"]'), 1) AS i)) ORDER BY i`,
		{ j: JSON.stringify(values) }
	);
	return rows.map((x) => x.r);
}

test("bounds: the column's own bounds first, then INTEGER range, also for values past INTEGER", async () => {
	const values = ['0', '5', '-1', '6', '2147483647', '2147483648', '-2147483649', '99999999999', '-99999999999', '1.5', 'x'];
	expect(await reasons({ name: 'n', type: 'int', min: 0, max: 5 }, values)).toEqual([
		null,
		null,
		'must be at least 0',
		'must be at most 5',
		'must be at most 5',
		'must be at most 5',
		'must be at least 0',
		'must be at most 5',
		'must be at least 0',
		'not an integer',
		'not an integer'
	]);
	expect(await reasons({ name: 'n', type: 'int', min: 0 }, values)).toEqual([
		null,
		null,
		'must be at least 0',
		null,
		null,
		'integer out of range',
		'must be at least 0',
		'integer out of range',
		'must be at least 0',
		'not an integer',
		'not an integer'
	]);
	expect(await reasons({ name: 'n', type: 'int' }, ['-2147483648', '-2147483649', '+7', '007', ''])).toEqual([null, 'integer out of range', null, null, 'not an integer']);
});
