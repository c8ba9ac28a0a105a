import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { literal } from '../../../src/lib/server/db/connection.ts';
import { LOAD_ORDER } from '../../../src/lib/server/db/contract.ts';

export function tmpDir(name: string): string {
	return fs.mkdtempSync(path.join(os.tmpdir(), `sample-${name}-`));
}

/** Reads every CSV of a sample folder as text tables s_<name> (empty cell → NULL). */
export async function loadAsText(c: DuckDBConnection, dir: string): Promise<void> {
	for (const t of LOAD_ORDER) {
		await c.run(
			`CREATE OR REPLACE TABLE s_${t} AS SELECT * FROM read_csv(${literal(path.join(dir, `${t}.csv`))}, all_varchar = true, header = true, quote = '"', escape = '"')`
		);
	}
}

export async function scalar(c: DuckDBConnection, sql: string): Promise<number> {
	const r = await c.runAndReadAll(sql);
	const v = r.getRows()[0]?.[0];
	return v === null || v === undefined ? NaN : Number(v);
}

export async function rowObject(c: DuckDBConnection, sql: string): Promise<Record<string, number>> {
	const r = await c.runAndReadAll(sql);
	const names = r.columnNames();
	const row = r.getRows()[0];
	return Object.fromEntries(names.map((n, i) => [n, row[i] === null ? NaN : Number(row[i])]));
}
