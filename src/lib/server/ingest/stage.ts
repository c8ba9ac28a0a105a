/**
 * Staging: one pass over a file that parses it, types every column and notes each row's first
 * failing column check or row rule (`_err` = 'column<TAB>reason'). The general path materialises
 * it into `<stage>.<table>` (an in-memory database attached for this load; its rowid is the
 * record's ordinal in the file, insertion order is kept); the first-load fast path (fast.ts)
 * inserts the same SELECT straight into the table.
 *
 * `_err` is ONE flat CASE over every check (a column's checks stop at its first NULL-reason
 * branch, e.g. an empty optional cell): DuckDB evaluates each WHEN only on the rows no earlier
 * WHEN took, short-circuiting AND/OR inside it, and builds a reason string only for bad rows.
 * (A boolean gate `NOT (a OR b)` evaluated outside a WHEN would not short-circuit: a regex
 * meant for odd values would then run on every row.)
 *
 * The general path runs before the load's transaction: a file DuckDB cannot parse raises an error,
 * and an error inside a DuckDB transaction aborts the whole transaction — the other files must
 * still load.
 */
import type { Db } from '../db/connection.ts';
import { ident, literal } from '../db/connection.ts';
import { TABLES, type TableName } from '../db/contract.ts';
import { fromText, fromTyped, sqlType, type Branch } from './columns.ts';
import { rowRules } from './rules.ts';
import type { OpenedSource } from './sources.ts';

export function stagedName(stage: string, table: TableName): string {
	return `${ident(stage)}.${ident(table)}`;
}

/** SELECT of the contract's columns, typed, and `_err`, reading `src.from` (parameter $path). */
export function stageSelect(table: TableName, src: OpenedSource): string {
	const spec = TABLES[table];
	const parsed: string[] = []; // level 0: source columns and once-per-row typed parses
	const inner: string[] = []; // level 1: typed values, source values and parses passed through
	const chain: string[] = []; // the first failing check of the row, in column order, then row rules
	spec.columns.forEach((col, i) => {
		const s = src.columns.get(col.name);
		if (!s) {
			// an absent optional column reads as empty cells (languages: no languages)
			const empty = col.name === 'languages' ? '[]::VARCHAR[]' : `NULL::${sqlType(col)}`;
			inner.push(`${empty} AS ${ident(col.name)}`);
			return;
		}
		const v = `_v${i}`;
		const sql = src.kind === 'csv' ? fromText(col, v) : fromTyped(col, v, s.type);
		parsed.push(`${s.expr} AS ${v}`);
		inner.push(v);
		if (sql.parse) {
			parsed.push(`${sql.parse} AS _p${i}`);
			inner.push(`_p${i}`);
		}
		const sub = (x: string) => x.replaceAll('§', `_p${i}`);
		inner.push(`CAST(${sub(sql.value)} AS ${sqlType(col)}) AS ${ident(col.name)}`);
		const checks: Branch[] = sql.checks.map(([w, r]) => [sub(w), sub(r)]);
		// A NULL-reason branch ends the column's checks: later branches of the column apply only when it did not hold.
		const passed: string[] = [];
		for (const [w, r] of checks) {
			if (r === 'NULL') passed.push(`NOT coalesce((${w}), false)`);
			else chain.push(`WHEN ${[...passed, `(${w})`].join(' AND ')} THEN ${literal(col.name + '\t')} || ${r}`);
		}
	});
	for (const [col, when, reason] of rowRules[table] ?? []) {
		chain.push(`WHEN ${when} THEN ${literal(col + '\t')} || ${reason}`);
	}
	const cols = spec.columns.map((c) => ident(c.name)).join(', ');
	const err = chain.length ? `CASE ${chain.join(' ')} END` : 'NULL::VARCHAR';
	const level0 = parsed.length ? `SELECT ${parsed.join(', ')} FROM ${src.from}` : `SELECT 1 AS _one FROM ${src.from}`;
	return `SELECT ${cols}, ${err} AS _err FROM (SELECT ${inner.join(', ')} FROM (${level0}))`;
}

export function stageSql(stage: string, table: TableName, src: OpenedSource): string {
	return `CREATE TABLE ${stagedName(stage, table)} AS ${stageSelect(table, src)}`;
}

/** Stages one file; returns the number of records read. Throws DuckDB's error for an unparseable file. */
export async function stageFile(db: Db, stage: string, table: TableName, src: OpenedSource, filePath: string): Promise<number> {
	await db.run(stageSql(stage, table, src), { path: filePath });
	const r = await db.one<{ n: number }>(`SELECT count(*)::BIGINT AS n FROM ${stagedName(stage, table)}`);
	return r?.n ?? 0;
}
