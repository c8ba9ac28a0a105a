/**
 * The first load of a table: when the table is empty and has no cross-row rules (ctr_daily,
 * providers), the staged SELECT goes straight into the table inside the load's transaction — one
 * pass over the file, no staging copy. Bad rows go in too, marked with `_load_id = -loadId` and
 * placeholders for their NOT NULL columns, so that one pass also counts them.
 *
 * - no bad row, key proven unique (`provenUnique`, or one grouping of key hashes): done;
 * - otherwise the file is staged again into a TEMP table, `checkTable` finds the rejects exactly
 *   as the general path does, and those rows are deleted again (the table's rows of this load are
 *   in file order, so rowid − min(rowid) is the record's ordinal).
 *
 * Any error (a file DuckDB cannot parse) aborts the transaction: the caller then runs the load again
 * on the general path, which reports the file as unparseable without aborting anything.
 */
import type { Db } from '../db/connection.ts';
import { ident } from '../db/connection.ts';
import { TABLES, type ColumnSpec, type TableName } from '../db/contract.ts';
import { sqlType } from './columns.ts';
import { checkTable, provenUnique, rejName } from './merge.ts';
import { crossRules, uniqueKeys } from './rules.ts';
import type { OpenedSource } from './sources.ts';
import { stageSelect } from './stage.ts';

/** Thrown from inside the transaction when the fast path cannot finish; the load is run again without it. */
export class FastPathFailed extends Error {
	loadId?: number;
}

export function fastEligible(table: TableName): boolean {
	return !crossRules[table];
}

function placeholder(col: ColumnSpec): string {
	switch (sqlType(col)) {
		case 'VARCHAR[]':
			return '[]::VARCHAR[]';
		case 'BOOLEAN':
			return 'false';
		case 'INTEGER':
		case 'BIGINT':
			return '0';
		case 'DATE':
			return "DATE '1970-01-01'";
		case 'TIMESTAMPTZ':
			return "TIMESTAMPTZ '1970-01-01 00:00:00+00'";
		default:
			return "''";
	}
}

export interface FastCounts {
	read: number;
	rejected: number;
	loaded: number;
}

/** Loads one file into its empty table; leaves `_rej_<table>` (possibly empty) for the rejects file. */
export async function fastLoad(tx: Db, table: TableName, src: OpenedSource, filePath: string, loadId: number): Promise<FastCounts> {
	const spec = TABLES[table];
	const target = ident(table);
	const cols = spec.columns.map((c) => ident(c.name));
	const rej = rejName(table);
	try {
		if (await tx.one(`SELECT 1 AS x FROM ${target} LIMIT 1`)) throw new Error(`${table} is no longer empty`);
		const values = spec.columns.map((c) => (c.optional ? ident(c.name) : `coalesce(${ident(c.name)}, ${placeholder(c)})`));
		await tx.run(
			`INSERT INTO ${target} (${cols.join(', ')}, _load_id) SELECT ${values.join(', ')}, CASE WHEN _err IS NULL THEN $load ELSE -$load END FROM (${stageSelect(table, src)})`,
			{ path: filePath, load: loadId }
		);
		const c = await tx.one<{ n: number; bad: number }>(`SELECT count(*)::BIGINT AS n, count(*) FILTER (WHERE _load_id < 0)::BIGINT AS bad FROM ${target}`);
		const read = c?.n ?? 0;
		if (!c?.bad && (await allUnique(tx, table))) {
			await tx.run(`CREATE OR REPLACE TEMP TABLE ${rej} (_ord BIGINT, _err VARCHAR)`);
			return { read, rejected: 0, loaded: read };
		}
		// Some rows are bad or a key may repeat: stage again and check exactly as the general path does.
		// Rows made in this transaction number from a high base (past 2^53: it stays in SQL).
		const staged = ident(`_fast_${table}`);
		const base = ident(`_fast_base_${table}`);
		await tx.run(`CREATE OR REPLACE TEMP TABLE ${staged} AS ${stageSelect(table, src)}`, { path: filePath });
		await tx.run(`CREATE OR REPLACE TEMP TABLE ${base} AS SELECT (SELECT min(rowid) FROM ${staged}) AS staged, (SELECT min(rowid) FROM ${target}) AS target`);
		const rejected = await checkTable(tx, staged, table, `(rowid - (SELECT staged FROM ${base}))`);
		await tx.run(`DELETE FROM ${target} WHERE rowid IN (SELECT _ord + (SELECT target FROM ${base}) FROM ${rej})`);
		await tx.run(`DROP TABLE ${staged}; DROP TABLE ${base}`);
		return { read, rejected, loaded: read - rejected };
	} catch (e) {
		throw new FastPathFailed(e instanceof Error ? e.message : String(e));
	}
}

/** Every unique key of the table's freshly loaded (all good) rows is unique. */
async function allUnique(tx: Db, table: TableName): Promise<boolean> {
	const target = ident(table);
	for (const key of uniqueKeys[table]) {
		if (await provenUnique(tx, target, key)) continue;
		const k = key.map(ident).join(', ');
		if (await tx.one(`SELECT hash(${k}) AS h FROM ${target} GROUP BY 1 HAVING count(*) > 1 LIMIT 1`)) return false;
	}
	return true;
}
