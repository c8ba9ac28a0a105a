/**
 * Deterministic sample data (data contract, `npm run sample`): 18 months of history ending at `asOf`,
 * one file per contract table. Generated in DuckDB SQL (./sql, run in order) with every random draw a
 * hash of (seed, row keys), so a given (scale, seed, asOf) always gives the same bytes. See README.md
 * for the volumes and the calibration targets.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { openProjectDb } from '../db/open.ts';
import { literal } from '../db/connection.ts';
import { LOAD_ORDER, TABLES, type ColumnSpec, type TableName } from '../db/contract.ts';
import { sqlFiles } from '../sql-files.ts';
import { CALENDAR_FIRST_YEAR, shanghaiDay } from '../../calendar.ts';

let globbed: Record<string, string> | undefined;
try {
	globbed = import.meta.glob('./sql/*.sql', { query: '?raw', import: 'default', eager: true });
} catch {
	globbed = undefined;
}
const SQL = sqlFiles(globbed, import.meta.url, 'sql');

export type SampleFormat = 'csv' | 'parquet';

export interface SampleOptions {
	/** 1 ≈ 1,260 sellers and ~27,000 orders over 18 months (default 1). */
	scale?: number;
	seed?: number;
	/** Last day of the history, YYYY-MM-DD (default: today in Asia/Shanghai). Nothing at or after its 00:00 is known. */
	asOf?: string;
	out: string;
	/** Default: csv up to scale 5, parquet above. */
	format?: SampleFormat;
	onProgress?: (msg: string) => void;
}

export interface SampleResult {
	out: string;
	files: string[];
	counts: Record<string, number>;
	ms: number;
}

/** Tuning constants, fitted so the metrics land on the domain's benchmarks (README.md). */
const TUNING = {
	/** median first-draft time as a fraction of the delivery window (→ mean first draft ≈ 42.6 h) */
	fd_median: 0.254,
	/** scales every SKU's drawn CTR lift (→ measured ratio-of-sums lift ≈ +37%) */
	lift_scale: 1.23
};

/** Sort keys of each file, so that the bytes do not depend on thread scheduling. */
const ORDER_BY: Record<TableName, string[]> = {
	providers: ['provider_id'],
	sellers: ['seller_id'],
	orders: ['order_id'],
	revisions: ['order_id', 'requested_at'],
	disputes: ['dispute_id'],
	delistings: ['delisting_id'],
	ctr_daily: ['sku_id', 'date'],
	payments: ['payment_id']
};

function csvExpr(col: ColumnSpec): string {
	const q = `"${col.name}"`;
	switch (col.type) {
		case 'ts':
			return `strftime(${q}, '%Y-%m-%dT%H:%M:%S') || '+08:00' AS ${q}`;
		case 'date':
			return q; // DuckDB writes DATE as YYYY-MM-DD
		case 'money': // fen → yuan: whole yuan without decimals, otherwise two
			return `CASE WHEN ${q} % 100 = 0 THEN (${q} // 100)::VARCHAR ELSE printf('%d.%02d', ${q} // 100, ${q} % 100) END AS ${q}`;
		default:
			return q;
	}
}

function parquetExpr(col: ColumnSpec): string {
	const q = `"${col.name}"`;
	switch (col.type) {
		case 'ts': // the session runs in Asia/Shanghai: the naive local time becomes that instant
			return `${q}::TIMESTAMPTZ AS ${q}`;
		case 'money':
			return `(${q}::DECIMAL(18, 0) / 100)::DECIMAL(18, 2) AS ${q}`;
		default:
			return q;
	}
}

export function resolveFormat(scale: number, format?: SampleFormat): SampleFormat {
	return format ?? (scale <= 5 ? 'csv' : 'parquet');
}

export async function writeSample(opts: SampleOptions): Promise<SampleResult> {
	const t0 = Date.now();
	const scale = opts.scale ?? 1;
	const seed = opts.seed ?? 1;
	const asOf = opts.asOf ?? shanghaiDay(new Date());
	if (!(scale > 0 && Number.isFinite(scale))) throw new RangeError(`scale must be a positive number, got ${scale}`);
	if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
	if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(`${asOf}T00:00:00Z`)))
		throw new RangeError(`asOf must be YYYY-MM-DD, got ${asOf}`);
	// the history needs working-day data from its first day (past the calendar's end, weekdays stand in)
	if (Number(asOf.slice(0, 4)) < CALENDAR_FIRST_YEAR + 2)
		throw new RangeError(`asOf ${asOf} is too early: China's working-day calendar starts in ${CALENDAR_FIRST_YEAR}`);
	const format = resolveFormat(scale, opts.format);
	const out = path.resolve(opts.out);
	const say = opts.onProgress ?? (() => {});
	fs.mkdirSync(out, { recursive: true });

	const db = await openProjectDb({ path: ':memory:', connections: 1 });
	try {
		return await db.withConnection(async (c) => {
			// the whole of scale 100 stays within a few GB; past the limit DuckDB spills instead of failing
			await c.run(`SET memory_limit = '6GB'`);
			await c.run(`SET temp_directory = ${literal(path.join(os.tmpdir(), 'vso-sample-spill'))}`);
			await setVariables(c, {
				seed,
				scale,
				as_of: asOf,
				n_sellers: Math.max(3, Math.round(1260 * scale)),
				n_providers: Math.max(3, Math.round(60 * Math.sqrt(scale))),
				...TUNING
			});
			for (const [file, sql] of SQL) {
				const t = Date.now();
				await c.run(sql);
				say(`${file.replace(/\.sql$/, '')} ${((Date.now() - t) / 1000).toFixed(1)} s`);
			}
			const files: string[] = [];
			const counts: Record<string, number> = {};
			for (const table of LOAD_ORDER) {
				const t = Date.now();
				const file = path.join(out, `${table}.${format}`);
				counts[table] = await copyTable(c, table, file, format);
				files.push(file);
				say(`${table}.${format}: ${counts[table].toLocaleString('en')} rows, ${((Date.now() - t) / 1000).toFixed(1)} s`);
			}
			// a folder made earlier in the other format would leave stale twins beside the new files
			for (const table of LOAD_ORDER) {
				const other = path.join(out, `${table}.${format === 'csv' ? 'parquet' : 'csv'}`);
				if (fs.existsSync(other)) fs.rmSync(other);
			}
			return { out, files, counts, ms: Date.now() - t0 };
		});
	} finally {
		await db.close();
	}
}

async function setVariables(c: DuckDBConnection, vars: Record<string, number | string>) {
	for (const [name, value] of Object.entries(vars)) {
		if (!/^[a-z_]+$/.test(name)) throw new Error(`bad variable name ${name}`);
		if (name === 'as_of') await c.run(`SET VARIABLE as_of = $v::DATE`, { v: value });
		else if (typeof value === 'number' && Number.isInteger(value)) await c.run(`SET VARIABLE ${name} = $v::BIGINT`, { v: value });
		else await c.run(`SET VARIABLE ${name} = $v::DOUBLE`, { v: value });
	}
	await c.run(`SET VARIABLE hist_start = (getvariable('as_of') - INTERVAL 18 MONTH)::DATE`);
}

async function copyTable(c: DuckDBConnection, table: TableName, file: string, format: SampleFormat): Promise<number> {
	const cols = TABLES[table].columns.map(format === 'csv' ? csvExpr : parquetExpr).join(', ');
	// ctr_daily is written in generation order (SKU by SKU, day by day, with insertion order
	// preserved) rather than sorted: sorting ~120M rows at scale 100 would cost memory for nothing.
	const order = table === 'ctr_daily' ? '' : ` ORDER BY ${ORDER_BY[table].map((k) => `"${k}"`).join(', ')}`;
	const options =
		format === 'csv'
			? `(FORMAT csv, HEADER true, DELIMITER ',', QUOTE '"', ESCAPE '"', NULLSTR '', NEW_LINE '\n')`
			: `(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 1000000)`;
	const tmp = `${file}.tmp`;
	const r = await c.runAndReadAll(`COPY (SELECT ${cols} FROM out_${table}${order}) TO ${literal(tmp)} ${options}`);
	fs.renameSync(tmp, file);
	return Number(r.getRows()[0]?.[0] ?? 0);
}
