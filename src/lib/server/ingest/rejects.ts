/**
 * The rejects file: one row per bad record — file, line, column, reason, the raw value of that
 * column and the whole raw record as JSON (every column of the file, extras included, exactly as
 * read). The `value` cell is neutralised against spreadsheet formulas (a leading = + - @ gets a
 * `'`, plain numbers such as -1 stay); the `record` JSON always starts with `{` and keeps the bytes as they were.
 * Written by DuckDB's COPY, then given a UTF-8 BOM so spreadsheet programs show Chinese right.
 */
import fs from 'node:fs';
import type { Db } from '../db/connection.ts';
import { ident, literal } from '../db/connection.ts';
import { TABLES, type TableName } from '../db/contract.ts';
import { recordStartLines } from './lines.ts';
import { rejName } from './merge.ts';
import type { OpenedSource } from './sources.ts';

const ALL = ident('_rejects_all');

export async function startRejects(tx: Db): Promise<void> {
	await tx.run(
		`CREATE OR REPLACE TEMP TABLE ${ALL} (seq INTEGER, file VARCHAR, line BIGINT, "column" VARCHAR, reason VARCHAR, value VARCHAR, record VARCHAR)`
	);
}

/** Adds the rejects of one table, with line numbers and raw values read back from the file. */
export async function collectRejects(
	tx: Db,
	opts: { seq: number; table: TableName; fileName: string; filePath: string; src: OpenedSource }
): Promise<void> {
	const { table, src } = opts;
	const rej = rejName(table);
	const raw = ident(`_raw_${table}`);
	const lines = ident(`_lines_${table}`);
	// Rows a transaction creates carry rowids from a high base until it commits: the ordinal is
	// rowid − min(rowid) (insertion order is kept, so that is the record's place in the file).
	await tx.run(`CREATE OR REPLACE TEMP TABLE ${raw} AS SELECT ${src.rawColumns.map((c, i) => `${c.expr} AS r${i}`).join(', ')} FROM ${src.from}`, {
		path: opts.filePath
	});
	if (src.kind === 'csv') {
		const ords = (await tx.all<{ o: number }>(`SELECT _ord AS o FROM ${rej} ORDER BY 1`)).map((r) => r.o);
		const map = recordStartLines(opts.filePath, ords);
		await tx.run(
			`CREATE OR REPLACE TEMP TABLE ${lines} AS SELECT unnest(from_json($o, '["BIGINT"]')) AS _ord, unnest(from_json($l, '["BIGINT"]')) AS line`,
			{ o: JSON.stringify(ords), l: JSON.stringify(ords.map((o) => map.get(o) ?? null)) }
		);
	} else {
		await tx.run(`CREATE OR REPLACE TEMP TABLE ${lines} AS SELECT _ord, _ord + 1 AS line FROM ${rej}`);
	}
	const params: Record<string, unknown> = { seq: opts.seq, file: opts.fileName };
	const recordArgs = src.rawColumns.map((c, i) => {
		params[`h${i}`] = c.name;
		return `$h${i}, x.r${i}`;
	});
	const byName = new Map<string, number>();
	for (const [name, sc] of src.columns) {
		const i = src.rawColumns.findIndex((r) => r.expr === sc.expr || r.expr === `CAST(${sc.expr} AS VARCHAR)`);
		if (i >= 0) byName.set(name, i);
	}
	const valueCase = `CASE split_part(r._err, chr(9), 1) ${TABLES[table].columns
		.filter((c) => byName.has(c.name))
		.map((c) => `WHEN ${literal(c.name)} THEN x.r${byName.get(c.name)}`)
		.join(' ')} END`;
	await tx.run(
		`INSERT INTO ${ALL} SELECT $seq, $file, l.line, col, reason, ` +
			`CASE WHEN regexp_matches(v, '^[=+\\-@\\t\\r]') AND NOT regexp_full_match(v, '[+-]?[0-9.]+') THEN '''' || v ELSE v END, record FROM (` +
			`SELECT r._ord, split_part(r._err, chr(9), 1) AS col, substr(r._err, strpos(r._err, chr(9)) + 1) AS reason, ` +
			`${valueCase} AS v, json_object(${recordArgs.join(', ')})::VARCHAR AS record ` +
			`FROM ${rej} r JOIN (SELECT rowid - (SELECT min(rowid) FROM ${raw}) AS _ord, * FROM ${raw}) x USING (_ord)) q JOIN ${lines} l USING (_ord)`,
		params
	);
	await tx.run(`DROP TABLE ${raw}; DROP TABLE ${lines}`);
}

/** Writes the collected rejects; returns the count. */
export async function writeRejects(tx: Db, file: string): Promise<number> {
	const n = (await tx.one<{ n: number }>(`SELECT count(*)::BIGINT AS n FROM ${ALL}`))?.n ?? 0;
	if (n === 0) return 0;
	const part = `${file}.part`;
	await tx.run(
		`COPY (SELECT file, line, "column", reason, value, record FROM ${ALL} ORDER BY seq, line) TO ${literal(part)} (FORMAT csv, HEADER true, DELIMITER ',', QUOTE '"', ESCAPE '"')`
	);
	const out = fs.openSync(file, 'w');
	try {
		fs.writeSync(out, Buffer.from([0xef, 0xbb, 0xbf]));
		const inp = fs.openSync(part, 'r');
		const buf = Buffer.alloc(1 << 20);
		for (let k; (k = fs.readSync(inp, buf, 0, buf.length, null)) > 0; ) fs.writeSync(out, buf, 0, k);
		fs.closeSync(inp);
	} finally {
		fs.closeSync(out);
		fs.rmSync(part, { force: true });
	}
	return n;
}
