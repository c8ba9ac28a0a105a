/**
 * The bench's inputs, cached under .tmp/bench/ by (scale, seed, as-of): the sample folder and a
 * database with it loaded. A `.done` marker is written last, so a run killed half-way redoes the step.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openProjectDb } from '../../src/lib/server/db/open.ts';
import { ingestFolder } from '../../src/lib/server/ingest/index.ts';
import { resolveFormat, writeSample } from '../../src/lib/server/sample/index.ts';

// BENCH_DIR: another cache folder, so that two people can bench their own copies side by side.
export const BENCH_DIR = path.resolve(process.env.BENCH_DIR ?? '.tmp/bench');

export interface BenchData {
	key: string;
	dir: string;
	format: 'csv' | 'parquet';
	dbPath: string;
	/** wall seconds spent making the sample now (0 when reused) */
	sampleSeconds: number;
	counts: Record<string, number>;
}

export function duSize(p: string): number {
	if (!fs.existsSync(p)) return 0;
	const st = fs.statSync(p);
	if (!st.isDirectory()) return st.size;
	return fs.readdirSync(p).reduce((a, e) => a + duSize(path.join(p, e)), 0);
}

export async function sampleData(scale: number, seed: number, asOf: string, log: (s: string) => void): Promise<BenchData> {
	const format = resolveFormat(scale);
	const key = `s${scale}-seed${seed}-${asOf}-${format}`;
	const root = path.join(BENCH_DIR, key);
	const dir = path.join(root, 'sample');
	const marker = path.join(dir, '.done');
	let sampleSeconds = 0;
	if (!fs.existsSync(marker)) {
		fs.rmSync(dir, { recursive: true, force: true });
		log(`making sample data scale ${scale}, seed ${seed}, as of ${asOf} (${format}) in ${dir}`);
		const t0 = performance.now();
		const r = await writeSample({ scale, seed, asOf, out: dir, format });
		sampleSeconds = (performance.now() - t0) / 1000;
		fs.writeFileSync(marker, JSON.stringify({ counts: r.counts, seconds: sampleSeconds }));
	} else log(`reusing sample data ${dir}`);
	const counts = (JSON.parse(fs.readFileSync(marker, 'utf8')) as { counts: Record<string, number> }).counts;
	return { key, dir, format, dbPath: path.join(root, 'bench.duckdb'), sampleSeconds, counts };
}

const loadedMarker = (d: BenchData) => `${d.dbPath}.loaded`;

/** Marks the bench database as holding the sample (after bench/ingest.ts left it loaded). */
export function markLoaded(d: BenchData): void {
	fs.writeFileSync(loadedMarker(d), d.key);
}

/** Makes sure the bench database holds the sample; loads it when the ingest section did not run. */
export async function ensureLoaded(d: BenchData, log: (s: string) => void): Promise<void> {
	if (fs.existsSync(loadedMarker(d)) && fs.existsSync(d.dbPath)) return;
	for (const f of [d.dbPath, `${d.dbPath}.wal`]) fs.rmSync(f, { force: true });
	log(`loading ${d.dir} into ${d.dbPath}`);
	const db = await openProjectDb({ path: d.dbPath });
	try {
		const r = await ingestFolder(db, d.dir, { loadsDir: path.join(path.dirname(d.dbPath), 'loads'), actor: 'bench' });
		if (r.status === 'failed') throw new Error(`loading the sample failed: ${JSON.stringify(r).slice(0, 500)}`);
		await db.run('CHECKPOINT');
	} finally {
		await db.close();
	}
	markLoaded(d);
}
