/**
 * The one way the project talks to DuckDB.
 *
 * A process opens the database file once (DuckDB allows one read-write process per file) and
 * shares a small pool of connections. Every connection runs in Asia/Shanghai so that `::DATE`,
 * `date_trunc('month', …)` and `strftime` on TIMESTAMPTZ give Shanghai days and months.
 */
import { DuckDBConnection, DuckDBInstance, DuckDBTypeId, StatementType } from '@duckdb/node-api';
import type { DuckDBPreparedStatement, DuckDBResultReader, DuckDBValue } from '@duckdb/node-api';
import path from 'node:path';
import fs from 'node:fs';

export type Params = Record<string, unknown> | unknown[];
export type Row = Record<string, unknown>;

export interface Db {
	/** Rows as plain objects: BIGINT → number (throws past 2^53), DATE → 'YYYY-MM-DD', TIMESTAMP(TZ) → Date. */
	all<T = Row>(sql: string, params?: Params): Promise<T[]>;
	one<T = Row>(sql: string, params?: Params): Promise<T | undefined>;
	run(sql: string, params?: Params): Promise<void>;
	/** Runs fn on one connection inside BEGIN … COMMIT; ROLLBACK on any error. */
	tx<T>(fn: (db: Db) => Promise<T>): Promise<T>;
	/** A raw connection for the Appender or streaming; released after fn. */
	withConnection<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T>;
	readonly path: string;
	close(): Promise<void>;
}

export class DatabaseLockedError extends Error {
	constructor(public readonly file: string) {
		super(
			`The database ${file} is in use by another program (usually the running dashboard server). ` +
				`Stop it, or run this command while the server runs so that it hands the job over.`
		);
		this.name = 'DatabaseLockedError';
	}
}

export function defaultDbPath(): string {
	return process.env.DUCKDB_PATH || path.resolve('data/ops.duckdb');
}

// asof_loop_join_threshold: the small ASOF joins of order_charges (one order, one seller) plan far faster as loop joins.
const SESSION_SETTINGS = ["SET TimeZone = 'Asia/Shanghai'", 'SET asof_loop_join_threshold = 2000'];

function toPlain(result: DuckDBResultReader): Row[] {
	const names = result.columnNames();
	const types = result.columnTypes().map((t) => t.typeId);
	const rows = result.getRows();
	const out: Row[] = new Array(rows.length);
	for (let r = 0; r < rows.length; r++) {
		const src = rows[r];
		const obj: Row = {};
		for (let c = 0; c < names.length; c++) obj[names[c]] = convert(src[c], types[c]);
		out[r] = obj;
	}
	return out;
}

function convert(v: DuckDBValue, type: DuckDBTypeId): unknown {
	if (v === null || v === undefined) return null;
	switch (type) {
		case DuckDBTypeId.BIGINT:
		case DuckDBTypeId.HUGEINT:
		case DuckDBTypeId.UBIGINT: {
			const n = Number(v as bigint);
			if (!Number.isSafeInteger(n)) throw new RangeError(`integer ${String(v)} exceeds 2^53`);
			return n;
		}
		case DuckDBTypeId.DATE:
			return String(v); // DuckDBDateValue prints as YYYY-MM-DD
		case DuckDBTypeId.TIMESTAMP_TZ:
		case DuckDBTypeId.TIMESTAMP: {
			const micros = (v as unknown as { micros: bigint }).micros;
			return new Date(Number(micros / 1000n));
		}
		case DuckDBTypeId.DECIMAL:
			return Number(String(v));
		case DuckDBTypeId.LIST:
			return (v as unknown as { items: DuckDBValue[] }).items.map((x) => (typeof x === 'bigint' ? Number(x) : x));
		default:
			if (typeof v === 'bigint') return Number(v);
			if (typeof v === 'object' && v !== null && 'toString' in v) return String(v);
			return v;
	}
}

function bindParams(params?: Params): Record<string, unknown> | unknown[] | undefined {
	if (!params) return undefined;
	return params;
}

// Planning, not execution, is most of a small statement's time (the metrics' long CTE SQL over
// pre-aggregates: a plan of 3–8 ms, an execution under 1 ms at scale 1). The pool keeps each
// connection's prepared SELECTs by their SQL text and binds the new parameters: the same
// prepare → bind → execute as runAndReadAll(sql, params), minus the prepare. DuckDB re-plans a
// prepared statement by itself when the catalog changed (a table or view replaced) or the parameter
// types differ. Not kept: SQL whose plan would freeze something outside the catalog (variables,
// settings, files read by path), statements other than SELECT, and calls without parameters.
const PREPARED_PER_CONNECTION = 256;
const NOT_KEPT = /getvariable|current_setting|read_[a-z_]+\s*\(|glob\s*\(|\.(parquet|csv|json)'/i;

class Pool implements Db {
	private idle: DuckDBConnection[] = [];
	// per connection: SQL → its prepared SELECT (null: not kept), least recently used first
	private prepared = new WeakMap<DuckDBConnection, Map<string, DuckDBPreparedStatement | null>>();
	private waiters: ((c: DuckDBConnection) => void)[] = [];
	private created = 0;
	constructor(
		private instance: DuckDBInstance,
		readonly path: string,
		private max: number
	) {}

	private async acquire(): Promise<DuckDBConnection> {
		const c = this.idle.pop();
		if (c) return c;
		if (this.created < this.max) {
			this.created++;
			const conn = await this.instance.connect();
			for (const s of SESSION_SETTINGS) await conn.run(s);
			return conn;
		}
		return new Promise((resolve) => this.waiters.push(resolve));
	}
	private release(c: DuckDBConnection) {
		const w = this.waiters.shift();
		if (w) w(c);
		else this.idle.push(c);
	}
	async withConnection<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
		const c = await this.acquire();
		try {
			return await fn(c);
		} finally {
			this.release(c);
		}
	}
	all<T = Row>(sql: string, params?: Params): Promise<T[]> {
		return this.withConnection(async (c) => {
			const ps = params === undefined || NOT_KEPT.test(sql) ? null : await this.preparedFor(c, sql);
			if (!ps) return toPlain(await c.runAndReadAll(sql, bindParams(params) as never)) as T[];
			try {
				ps.clearBindings();
				ps.bind(params as never);
				return toPlain(await ps.runAndReadAll()) as T[];
			} catch (e) {
				// a statement that failed is prepared afresh next time
				this.prepared.get(c)?.delete(sql);
				ps.destroySync();
				throw e;
			}
		});
	}
	/** The connection's prepared statement for sql (prepared now if new), or null when it is not kept. */
	private async preparedFor(c: DuckDBConnection, sql: string): Promise<DuckDBPreparedStatement | null> {
		let kept = this.prepared.get(c);
		if (!kept) this.prepared.set(c, (kept = new Map()));
		const hit = kept.get(sql);
		if (hit !== undefined) {
			kept.delete(sql);
			kept.set(sql, hit);
			return hit;
		}
		let ps: DuckDBPreparedStatement | null;
		try {
			ps = await c.prepare(sql);
		} catch {
			// several statements, or an error that the ordinary path reports the same way
			ps = null;
		}
		if (ps && ps.statementType !== StatementType.SELECT) {
			ps.destroySync();
			ps = null;
		}
		kept.set(sql, ps);
		while (kept.size > PREPARED_PER_CONNECTION) {
			const [oldest, old] = kept.entries().next().value!;
			kept.delete(oldest);
			old?.destroySync();
		}
		return ps;
	}
	async one<T = Row>(sql: string, params?: Params): Promise<T | undefined> {
		return (await this.all<T>(sql, params))[0];
	}
	run(sql: string, params?: Params): Promise<void> {
		return this.withConnection(async (c) => {
			await c.run(sql, bindParams(params) as never);
		});
	}
	tx<T>(fn: (db: Db) => Promise<T>): Promise<T> {
		return this.withConnection(async (c) => {
			const single = new SingleConnection(c, this.path);
			await c.run('BEGIN TRANSACTION');
			try {
				const out = await fn(single);
				await c.run('COMMIT');
				return out;
			} catch (e) {
				await c.run('ROLLBACK').catch(() => undefined);
				throw e;
			}
		});
	}
	async close() {
		for (const c of this.idle) c.closeSync();
		this.idle = [];
		this.instance.closeSync();
	}
}

/** A Db bound to one connection, used inside a transaction. */
class SingleConnection implements Db {
	constructor(
		private c: DuckDBConnection,
		readonly path: string
	) {}
	async all<T = Row>(sql: string, params?: Params): Promise<T[]> {
		return toPlain(await this.c.runAndReadAll(sql, bindParams(params) as never)) as T[];
	}
	async one<T = Row>(sql: string, params?: Params): Promise<T | undefined> {
		return (await this.all<T>(sql, params))[0];
	}
	async run(sql: string, params?: Params): Promise<void> {
		await this.c.run(sql, bindParams(params) as never);
	}
	tx<T>(fn: (db: Db) => Promise<T>): Promise<T> {
		return fn(this); // already inside one
	}
	withConnection<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
		return fn(this.c);
	}
	async close() {}
}

export interface OpenOptions {
	path?: string;
	readOnly?: boolean;
	/** Connections in the pool (default 4). */
	connections?: number;
	/** DuckDB's memory limit (default DUCKDB_MEMORY_LIMIT, else 4GB); beyond it DuckDB spills to disk. */
	memoryLimit?: string;
}

/**
 * DuckDB defaults to 80% of the machine's RAM, which let a scale-100 load reach 12.6 GB. A fixed
 * limit keeps the server and a job side by side within 8 GB; large joins and sorts spill instead.
 */
export function memoryLimit(opts: Pick<OpenOptions, 'memoryLimit'> = {}): string {
	const v = opts.memoryLimit ?? process.env.DUCKDB_MEMORY_LIMIT ?? '4GB';
	if (!/^\d+(\.\d+)?\s*(KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i.test(v)) throw new Error(`DUCKDB_MEMORY_LIMIT must look like 4GB or 512MB, not ${JSON.stringify(v)}`);
	return v;
}

export async function openDatabase(opts: OpenOptions = {}): Promise<Db> {
	const file = opts.path ?? defaultDbPath();
	if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
	let instance: DuckDBInstance;
	try {
		instance = await DuckDBInstance.create(file, {
			access_mode: opts.readOnly ? 'READ_ONLY' : 'READ_WRITE',
			memory_limit: memoryLimit(opts)
		});
	} catch (e) {
		if (/Could not set lock|Conflicting lock/i.test(String((e as Error).message))) throw new DatabaseLockedError(file);
		throw e;
	}
	return new Pool(instance, file, opts.connections ?? 4);
}

/** Quotes an identifier we generated ourselves (table/column names from our own schema, never user text). */
export function ident(name: string): string {
	if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`not an identifier: ${name}`);
	return `"${name}"`;
}

/** A SQL string literal for paths and constants we control (file paths from the CLI); never for user values in queries. */
export function literal(s: string): string {
	return `'${s.replaceAll("'", "''")}'`;
}
