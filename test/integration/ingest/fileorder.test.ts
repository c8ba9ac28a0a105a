/**
 * The staging pass keeps file order across Parquet row groups read in parallel: a reject's row
 * number is its row in the file, and of a repeated key the first occurrence in the file loads.
 * (A long `IN (…)` list for an enum column once became a hash join that let row groups land out of
 * order; reason_code has 12 codes.)
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { goodFolder, writeFolder } from '../../fixtures/ingest/folder.ts';
import { freshDb, load, tableRow } from './helpers.ts';

const N = 60_000;
const BAD = 50_000; // 0-based index of the row with an unknown reason code
const REPEAT = 55_000; // repeats the key of row 100 with another reason code

describe('file order', () => {
	it('reports rows by their place in a many-row-group Parquet file; the first of a repeated key loads', async () => {
		const dir = writeFolder(goodFolder());
		fs.rmSync(path.join(dir, 'revisions.csv'));
		const db = await freshDb();
		try {
			// O1 is published 2026-03-01 (fixture); requested_at one second apart keeps (order_id, requested_at) unique.
			await db.run(
				`COPY (SELECT 'O1' AS order_id, TIMESTAMPTZ '2026-03-04 08:00:00+08' + to_seconds(CASE WHEN i = ${REPEAT} THEN 100 ELSE i END) AS requested_at,
				        CASE WHEN i = ${BAD} THEN 'R99' WHEN i = ${REPEAT} THEN 'R03' ELSE 'R0' || (1 + i % 9) END AS reason_code, NULL::TIMESTAMPTZ AS redelivered_at
				      FROM range(${N}) t(i) ORDER BY i)
				 TO '${path.join(dir, 'revisions.parquet')}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`
			);
			const { report, rejects } = await load(db, dir);
			expect(tableRow(report, 'revisions')).toMatchObject({ read: N, rejected: 2, loaded: N - 2 });
			expect(rejects.map((r) => [r.line, r.column, r.reason.replace(/ \(allowed: .*\)$/, '')])).toEqual([
				[String(BAD + 1), 'reason_code', 'unknown value'],
				[String(REPEAT + 1), 'order_id', 'key (order_id, requested_at) repeated in the file; its first occurrence loads']
			]);
			const kept = await db.one<{ reason_code: string }>(
				`SELECT reason_code FROM revisions WHERE requested_at = TIMESTAMPTZ '2026-03-04 08:00:00+08' + to_seconds(100)`
			);
			expect(kept?.reason_code).toBe('R02');
		} finally {
			await db.close();
		}
	});
});
