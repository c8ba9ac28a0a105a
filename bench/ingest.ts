/**
 * Ingest benchmark: the first load of each table into an EMPTY database, validation included,
 * against DuckDB reading the same file into a bare typed table — side by side, one process, one
 * database file. Then a reload of the same folder (everything unchanged) is timed separately.
 *
 *   node --import tsx bench/ingest.ts DIR [--db FILE] [--repeats N]
 *
 * Product time per table = its staging pass + checks + upsert, taken from the progress events
 * of one ingestFolder() run (the tables load in one transaction, in LOAD_ORDER).
 * ratio = rawMs / productMs = product throughput as a share of raw throughput. Each side is the
 * best of `repeats` rounds (default 3), because the machine is shared. On a loaded machine the two
 * bests may come from different moments; `pairedRatio` is the median over rounds of that round's
 * raw / product (each round measures both sides back to back), a steadier read of the same figure.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ident } from '../src/lib/server/db/connection.ts';
import { TABLES, type ColumnSpec } from '../src/lib/server/db/contract.ts';
import { openProjectDb } from '../src/lib/server/db/open.ts';
import { ingestFolder } from '../src/lib/server/ingest/index.ts';
import { listFolder, pickFiles } from '../src/lib/server/ingest/sources.ts';

export interface IngestBenchRow {
	table: string;
	rows: number;
	productMs: number;
	rawMs: number;
	ratio: number;
	/** Process CPU time (DuckDB's threads included): steadier than wall time on a loaded machine. */
	productCpuMs: number;
	rawCpuMs: number;
	cpuRatio: number;
	/** Median over rounds of raw / product measured in the same round. */
	pairedRatio: number;
}

const cpuMs = () => {
	const u = process.cpuUsage();
	return (u.user + u.system) / 1000;
};

function rawType(c: ColumnSpec): string {
	switch (c.type) {
		case 'bool':
			return 'BOOLEAN';
		case 'int':
			return 'INTEGER';
		case 'money':
			return 'DECIMAL(18,2)';
		case 'date':
			return 'DATE';
		case 'ts':
			return 'TIMESTAMPTZ';
		default:
			return 'VARCHAR';
	}
}

export async function benchIngest(opts: { dir: string; dbPath?: string; repeats?: number; log?: (s: string) => void }): Promise<IngestBenchRow[]> {
	const log = opts.log ?? (() => undefined);
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-ingest-'));
	const dbPath = opts.dbPath ?? path.join(work, 'bench.duckdb');
	const { sources } = pickFiles(listFolder(opts.dir));
	for (const s of sources) fs.readFileSync(s.path); // same page-cache state for both sides
	// The machine is shared: each side's best of `repeats` rounds (fresh empty database each round).
	const raw = new Map<string, number>();
	const product = new Map<string, number>();
	const rows = new Map<string, number>();
	const rawCpu = new Map<string, number>();
	const productCpu = new Map<string, number>();
	const paired = new Map<string, number[]>();
	let reloadMs = Infinity;
	let reloadStatus = '';
	const best = (m: Map<string, number>, k: string, v: number) => m.set(k, Math.min(m.get(k) ?? Infinity, v));
	try {
		for (let round = 0; round < (opts.repeats ?? 3); round++) {
			fs.rmSync(dbPath, { force: true });
			fs.rmSync(`${dbPath}.wal`, { force: true });
			const db = await openProjectDb({ path: dbPath });
			try {
				const rawRound = new Map<string, number>();
				// DuckDB alone: each file into a bare typed table of the same database.
				await db.run('CREATE SCHEMA IF NOT EXISTS bench_raw');
				for (const s of sources) {
					const spec = TABLES[s.table];
					const target = `bench_raw.${ident(s.table)}`;
					const cols = spec.columns.map((c) => `'${c.name}': '${rawType(c)}'`).join(', ');
					const from =
						s.format === 'csv' ? `read_csv($path, header = true, columns = {${cols}}, delim = ',', quote = '"', escape = '"')` : 'read_parquet($path)';
					const t0 = performance.now();
					const c0 = cpuMs();
					await db.run(`CREATE TABLE ${target} AS SELECT * FROM ${from}`, { path: s.path });
					rawRound.set(s.table, performance.now() - t0);
					best(raw, s.table, rawRound.get(s.table)!);
					best(rawCpu, s.table, cpuMs() - c0);
					await db.run(`DROP TABLE ${target}`);
				}
				await db.run('DROP SCHEMA bench_raw');
				await db.run('CHECKPOINT');

				// The product: first load into the empty tables; per-table time from the progress events.
				const spent = new Map<string, number>();
				const spentCpu = new Map<string, number>();
				let last = performance.now();
				let lastCpu = cpuMs();
				let current = '';
				const report = await ingestFolder(db, opts.dir, {
					loadsDir: path.join(work, 'loads'),
					actor: 'bench',
					onProgress: (p) => {
						const now = performance.now();
						const nowCpu = cpuMs();
						if (current) {
							spent.set(current, (spent.get(current) ?? 0) + now - last);
							spentCpu.set(current, (spentCpu.get(current) ?? 0) + nowCpu - lastCpu);
						}
						current = p.table;
						last = now;
						lastCpu = nowCpu;
					}
				});
				for (const t of report.tables) {
					best(product, t.table, spent.get(t.table) ?? NaN);
					best(productCpu, t.table, spentCpu.get(t.table) ?? NaN);
					rows.set(t.table, t.read);
					paired.set(t.table, [...(paired.get(t.table) ?? []), (rawRound.get(t.table) ?? NaN) / (spent.get(t.table) ?? NaN)]);
				}
				const t0 = performance.now();
				const again = await ingestFolder(db, opts.dir, { loadsDir: path.join(work, 'loads'), actor: 'bench' });
				reloadMs = Math.min(reloadMs, performance.now() - t0);
				reloadStatus = again.status;
				log(`round ${round + 1}: ${[...product].map(([t, ms]) => `${t} ${ms.toFixed(0)}/${raw.get(t)?.toFixed(0)} ms`).join(', ')}`);
			} finally {
				await db.close();
			}
		}
	} finally {
		if (!opts.dbPath) fs.rmSync(work, { recursive: true, force: true });
	}
	const out: IngestBenchRow[] = [...rows.keys()].map((table) => {
		const productMs = product.get(table) ?? NaN;
		const rawMs = raw.get(table) ?? NaN;
		const pc = productCpu.get(table) ?? NaN;
		const rc = rawCpu.get(table) ?? NaN;
		return {
			table,
			rows: rows.get(table) ?? 0,
			productMs: round(productMs),
			rawMs: round(rawMs),
			ratio: round(rawMs / productMs, 3),
			productCpuMs: round(pc),
			rawCpuMs: round(rc),
			cpuRatio: round(rc / pc, 3),
			pairedRatio: round(median(paired.get(table) ?? []), 3)
		};
	});
	out.push({ table: `(reload, ${reloadStatus})`, rows: [...rows.values()].reduce((a, b) => a + b, 0), productMs: round(reloadMs), rawMs: NaN, ratio: NaN, productCpuMs: NaN, rawCpuMs: NaN, cpuRatio: NaN, pairedRatio: NaN });
	return out;
}

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const median = (xs: number[]) => {
	const s = [...xs].sort((a, b) => a - b);
	return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	const args = process.argv.slice(2);
	const dir = args.find((a, i) => !a.startsWith('--') && !['--db', '--repeats'].includes(args[i - 1]));
	const dbi = args.indexOf('--db');
	const ri = args.indexOf('--repeats');
	if (!dir) {
		process.stderr.write('usage: node --import tsx bench/ingest.ts DIR [--db FILE] [--repeats N]\n');
		process.exit(2);
	}
	benchIngest({ dir, dbPath: dbi >= 0 ? args[dbi + 1] : undefined, repeats: ri >= 0 ? Number(args[ri + 1]) : undefined, log: (s) => process.stderr.write(s + '\n') }).then((rows) => {
		console.table(rows);
	});
}
