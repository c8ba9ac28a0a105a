/**
 * Staging: one pass over a file that parses it, types every column and notes each row's first
 * failing column check or row rule, into `<stage>.<table>` (an in-memory database attached for
 * this load). The stage's rowid is the record's ordinal in the file (insertion order is kept).
 *
 * This runs before the load's transaction: a file DuckDB cannot parse raises an error, and an
 * error inside a DuckDB transaction aborts the whole transaction — the other files must still load.
 */
import type { Db } from '../db/connection.ts';
import { ident } from '../db/connection.ts';
import { TABLES, type TableName } from '../db/contract.ts';
import { fromText, fromTyped, sqlType } from './columns.ts';
import { failCase, rowRules, uniqueKeys } from './rules.ts';
import type { OpenedSource } from './sources.ts';

export function stagedName(stage: string, table: TableName): string {
	return `${ident(stage)}.${ident(table)}`;
}

export function stageSql(stage: string, table: TableName, src: OpenedSource): string {
	const spec = TABLES[table];
	const parsed: string[] = []; // level 0: source columns and once-per-row typed parses
	const inner: string[] = []; // level 1: typed values and reasons
	const reasons: string[] = [];
	spec.columns.forEach((col, i) => {
		const s = src.columns.get(col.name);
		const r = `_r${i}`;
		if (!s) {
			// an absent optional column reads as empty cells (languages: no languages)
			const empty = col.name === 'languages' ? '[]::VARCHAR[]' : `NULL::${sqlType(col)}`;
			inner.push(`${empty} AS ${ident(col.name)}`, `NULL::VARCHAR AS ${r}`);
		} else {
			const v = `_v${i}`;
			const sql = src.kind === 'csv' ? fromText(col, v) : fromTyped(col, v, s.type);
			parsed.push(`${s.expr} AS ${v}`);
			if (sql.parse) parsed.push(`${sql.parse} AS _p${i}`);
			const sub = (x: string) => x.replaceAll('§', `_p${i}`);
			inner.push(`CAST(${sub(sql.value)} AS ${sqlType(col)}) AS ${ident(col.name)}`, `${sub(sql.reason)} AS ${r}`);
		}
		reasons.push(`WHEN ${r} IS NOT NULL THEN '${col.name}\t' || ${r}`);
	});
	const cols = spec.columns.map((c) => ident(c.name)).join(', ');
	const err = `CASE ${reasons.join(' ')} ELSE ${failCase(rowRules[table] ?? [])} END`;
	// hash of each unique key, computed in this parallel pass so the repeat check groups 8-byte values
	const hashes = uniqueKeys[table].map((key, i) => `hash(${key.map(ident).join(', ')}) AS _h${i}`).join(', ');
	return `CREATE TABLE ${stagedName(stage, table)} AS SELECT ${cols}, ${err} AS _err, ${hashes} FROM (SELECT ${inner.join(', ')} FROM (SELECT ${parsed.join(', ')} FROM ${src.from}))`;
}

/** Stages one file; returns the number of records read. Throws DuckDB's error for an unparseable file. */
export async function stageFile(db: Db, stage: string, table: TableName, src: OpenedSource, filePath: string): Promise<number> {
	await db.run(stageSql(stage, table, src), { path: filePath });
	const r = await db.one<{ n: number }>(`SELECT count(*)::BIGINT AS n FROM ${stagedName(stage, table)}`);
	return r?.n ?? 0;
}
