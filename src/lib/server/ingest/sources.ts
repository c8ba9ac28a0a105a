/**
 * Finding the files of a folder and reading their headers: which contract column is which source
 * column, and the DuckDB table function that reads the file.
 *
 * CSV is read with the sniffer off: the header is parsed here, every column is declared VARCHAR
 * under a positional name (c0, c1, …), so odd or repeated header names cannot break the SQL, and
 * DuckDB's strict mode rejects a row with the wrong number of fields or an unterminated quote.
 */
import fs from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import type { Db } from '../db/connection.ts';
import { LOAD_ORDER, TABLES, type TableName } from '../db/contract.ts';
import type { Finding, InputFile } from './types.ts';

export interface SourceFile {
	table: TableName;
	name: string;
	path: string;
	format: 'csv' | 'parquet';
}

/** Picks one file per contract table; reports the rest as findings. */
export function pickFiles(files: InputFile[]): { sources: SourceFile[]; findings: Finding[]; duplicates: SourceFile[] } {
	const findings: Finding[] = [];
	const byTable = new Map<TableName, SourceFile[]>();
	for (const f of files) {
		const m = /^([a-z_]+)\.(csv|parquet)$/i.exec(f.name);
		const table = m?.[1].toLowerCase() as TableName | undefined;
		if (!m || !table || !(table in TABLES)) {
			findings.push({ kind: 'unknown_file', file: f.name, detail: 'not a file of the data contract; ignored' });
			continue;
		}
		const list = byTable.get(table) ?? [];
		list.push({ table, name: f.name, path: f.path, format: m[2].toLowerCase() as 'csv' | 'parquet' });
		byTable.set(table, list);
	}
	const sources: SourceFile[] = [];
	const duplicates: SourceFile[] = [];
	for (const t of LOAD_ORDER) {
		const list = byTable.get(t);
		if (!list) continue;
		if (list.length > 1) duplicates.push(...list);
		else sources.push(list[0]);
	}
	return { sources, findings, duplicates };
}

export function listFolder(dir: string): InputFile[] {
	return fs
		.readdirSync(dir, { withFileTypes: true })
		.filter((e) => e.isFile() && !e.name.startsWith('.'))
		.map((e) => ({ name: e.name, path: path.resolve(dir, e.name) }))
		.sort((a, b) => a.name.localeCompare(b.name));
}

export interface SourceColumn {
	/** SQL expression reading the column from the raw relation. */
	expr: string;
	/** DuckDB type of the source (VARCHAR for CSV). */
	type: string;
}

export interface OpenedSource {
	kind: 'csv' | 'parquet';
	/** A relation (table function call) that reads the file; its path is the parameter $path. */
	from: string;
	/** Contract column → source column; absent optional columns are missing here. */
	columns: Map<string, SourceColumn>;
	/** Every source column as VARCHAR, in file order, for the rejects file. */
	rawColumns: { name: string; expr: string }[];
	extras: string[];
}

export class FileRejected extends Error {}

function quoteName(name: string): string {
	return `"${name.replaceAll('"', '""')}"`;
}

/** The header record of a CSV (BOM stripped), parsed with RFC 4180 rules. */
function readCsvHeader(file: string): string[] {
	const fd = fs.openSync(file, 'r');
	try {
		const buf = Buffer.alloc(1 << 20);
		const n = fs.readSync(fd, buf, 0, buf.length, 0);
		if (n === 0) throw new FileRejected('the file is empty (no header row)');
		let text = buf.subarray(0, n).toString('utf8');
		// The header ends at the first line break outside quotes.
		let inQuote = false;
		let end = text.length;
		for (let i = 0; i < text.length; i++) {
			const ch = text[i];
			if (ch === '"') inQuote = !inQuote;
			else if (!inQuote && (ch === '\n' || ch === '\r')) {
				end = i;
				break;
			}
		}
		text = text.slice(0, end);
		const parsed = Papa.parse<string[]>(text, { header: false, delimiter: ',', quoteChar: '"', escapeChar: '"' });
		const row = parsed.data[0];
		if (!row || parsed.errors.length) throw new FileRejected('the header row cannot be parsed');
		return row;
	} finally {
		fs.closeSync(fd);
	}
}

const norm = (s: string) => s.trim().toLowerCase();

function matchColumns(table: TableName, names: string[]): { index: Map<string, number>; extras: string[] } {
	const spec = TABLES[table];
	const wanted = new Set(spec.columns.map((c) => c.name));
	const index = new Map<string, number>();
	const extras: string[] = [];
	names.forEach((raw, i) => {
		const n = norm(raw);
		if (!wanted.has(n)) {
			extras.push(raw);
			return;
		}
		if (index.has(n)) throw new FileRejected(`column ${n} appears twice in the header`);
		index.set(n, i);
	});
	const missing = spec.columns.filter((c) => !c.optional && !index.has(c.name)).map((c) => c.name);
	if (missing.length) throw new FileRejected(`missing required column${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`);
	return { index, extras };
}

export function csvReader(width: number): string {
	const cols = Array.from({ length: width }, (_, i) => `'c${i}': 'VARCHAR'`).join(', ');
	return (
		`read_csv($path, header = true, auto_detect = false, columns = {${cols}}, delim = ',', quote = '"', escape = '"', ` +
		`strict_mode = true, null_padding = false, encoding = 'utf-8')`
	);
}

export async function openSource(db: Db, src: SourceFile): Promise<OpenedSource> {
	if (src.format === 'csv') {
		const header = readCsvHeader(src.path);
		const { index, extras } = matchColumns(src.table, header);
		const columns = new Map<string, SourceColumn>();
		for (const [name, i] of index) columns.set(name, { expr: `c${i}`, type: 'VARCHAR' });
		const rawColumns = header.map((h, i) => ({ name: h, expr: `c${i}` }));
		return { kind: 'csv', from: csvReader(header.length), columns, rawColumns, extras };
	}
	const from = 'read_parquet($path)';
	let described: { column_name: string; column_type: string }[];
	try {
		described = await db.all(`DESCRIBE SELECT * FROM ${from}`, { path: src.path });
	} catch (e) {
		throw new FileRejected(`cannot read the Parquet file: ${firstLine(e)}`);
	}
	const names = described.map((d) => d.column_name);
	const { index, extras } = matchColumns(src.table, names);
	const columns = new Map<string, SourceColumn>();
	for (const [name, i] of index) columns.set(name, { expr: quoteName(names[i]), type: described[i].column_type });
	const rawColumns = names.map((n) => ({ name: n, expr: `CAST(${quoteName(n)} AS VARCHAR)` }));
	return { kind: 'parquet', from, columns, rawColumns, extras };
}

export function firstLine(e: unknown): string {
	const msg = e instanceof Error ? e.message : String(e);
	return msg
		.split('\n')
		.filter((l) => l.trim() && !/^Possible fixes|^\* |^ {2}/.test(l))
		.slice(0, 3)
		.join(' ')
		.slice(0, 400);
}
