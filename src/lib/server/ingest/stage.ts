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
import { failCase, rowRules } from './rules.ts';
import type { OpenedSource } from './sources.ts';

export function stagedName(stage: string, table: TableName): string {
	return `${ident(stage)}.${ident(table)}`;
}

export function stageSql(stage: string, table: TableName, src: OpenedSource): string {
	const spec = TABLES[table];
	const inner: string[] = [];
	const reasons: string[] = [];
	spec.columns.forEach((col, i) => {
		const s = src.columns.get(col.name);
		const r = `_r${i}`;
		if (!s) {
			inner.push(`NULL::${sqlType(col)} AS ${ident(col.name)}`, `NULL::VARCHAR AS ${r}`);
		} else {
			const sql = src.kind === 'csv' ? fromText(col, s.expr) : fromTyped(col, s.expr, s.type);
			inner.push(`CAST(${sql.value} AS ${sqlType(col)}) AS ${ident(col.name)}`, `${sql.reason} AS ${r}`);
		}
		reasons.push(`WHEN ${r} IS NOT NULL THEN '${col.name}\t' || ${r}`);
	});
	const cols = spec.columns.map((c) => ident(c.name)).join(', ');
	const err = `CASE ${reasons.join(' ')} ELSE ${failCase(rowRules[table] ?? [])} END`;
	return `CREATE TABLE ${stagedName(stage, table)} AS SELECT ${cols}, ${err} AS _err FROM (SELECT ${inner.join(', ')} FROM ${src.from})`;
}

/** Stages one file; returns the number of records read. Throws DuckDB's error for an unparseable file. */
export async function stageFile(db: Db, stage: string, table: TableName, src: OpenedSource, filePath: string): Promise<number> {
	await db.run(stageSql(stage, table, src), { path: filePath });
	const r = await db.one<{ n: number }>(`SELECT count(*)::BIGINT AS n FROM ${stagedName(stage, table)}`);
	return r?.n ?? 0;
}
