/**
 * Page data, warm: for each dashboard page, the metric requests its load function runs (in
 * parallel, as the page does) through the metrics layer, against DuckDB running the same SQL
 * directly on the same pool. The SQL is captured from the product's own run by a recording
 * QueryEngine and replayed batch by batch (statements issued in the same tick ran together), and
 * the two sides alternate run by run so that load from other processes hits both alike.
 *
 * Which requests a page runs comes from bench/pages.ts `pageRequests` (the page registry
 * src/routes/export/registry.ts PAGE_DATA).
 */
import type { Db } from '../../src/lib/server/db/connection.ts';
import type { QueryEngine } from '../../src/lib/server/metrics/engine.ts';
import { runMetric } from '../../src/lib/server/metrics/run.ts';
import type { MetricRequest } from '../../src/lib/server/metrics/request.ts';
import { PAGE_DATA } from '../../src/routes/export/registry.ts';
import { pageRequests } from '../pages.ts';
import { pct } from './stats.ts';

export interface PageDataRow {
	page: string;
	/** timed runs of each side */
	runs: number;
	requests: number;
	statements: number;
	p50: number;
	p95: number;
	directP50: number;
	directP95: number;
	/** product p50 ÷ direct p50 */
	ratio: number;
}

export interface PagesModule {
	pageRequests?: (page: string, query: string, today: string) => MetricRequest[];
	pageWeights?: (buildDir?: string) => Map<string, { firstPaint: number; total: number }> | null;
}

/** bench/pages.ts, or null when it does not exist (yet). */
export async function loadPagesModule(): Promise<PagesModule | null> {
	const spec = '../pages.ts'; // a variable: the module is optional, so no static import
	try {
		return (await import(spec)) as PagesModule;
	} catch (e) {
		if ((e as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') return null;
		throw e;
	}
}

interface Call {
	sql: string;
	params: Record<string, unknown>;
}

class Recorder implements QueryEngine {
	batches: Call[][] = [[]];
	constructor(private db: Db) {}
	all<T>(sql: string, params: Record<string, unknown>): Promise<T[]> {
		this.batches[this.batches.length - 1].push({ sql, params });
		queueMicrotask(() => {
			if (this.batches[this.batches.length - 1].length) this.batches.push([]);
		});
		return this.db.all<T>(sql, params);
	}
}

export async function benchPageData(
	db: Db,
	opts: {
		runs: number;
		/** Stop adding runs to a page once its timed runs took this long (at least one run each side). */
		budgetMs?: number;
		today: string;
		sellerId: string | null;
		pages?: PagesModule | null;
		log?: (s: string) => void;
	}
): Promise<PageDataRow[]> {
	const requestsOf = opts.pages?.pageRequests ?? pageRequests;
	const out: PageDataRow[] = [];
	for (const page of Object.keys(PAGE_DATA)) {
		const seller = page.startsWith('/seller');
		if (seller && !opts.sellerId) continue;
		const scope = { sellerId: seller ? opts.sellerId : null };
		const reqs = requestsOf(page, '', opts.today);
		const product = (engine: QueryEngine) => Promise.all(reqs.map((r) => runMetric(engine, r, scope, { today: opts.today })));
		const rec = new Recorder(db);
		await product(rec); // warm-up, and the SQL it ran
		const batches = rec.batches.filter((b) => b.length);
		const direct = async () => {
			for (const b of batches) await Promise.all(b.map((c) => db.all(c.sql, c.params)));
		};
		// (no separate warm-up for the direct side: it is the same SQL, just run by the product)
		const p: number[] = [];
		const d: number[] = [];
		const t0 = performance.now();
		for (let i = 0; i < opts.runs && (i === 0 || performance.now() - t0 < (opts.budgetMs ?? Infinity)); i++) {
			let t = performance.now();
			await product(db);
			p.push(performance.now() - t);
			t = performance.now();
			await direct();
			d.push(performance.now() - t);
		}
		const row: PageDataRow = {
			page,
			runs: p.length,
			requests: reqs.length,
			statements: batches.reduce((a, b) => a + b.length, 0),
			p50: pct(p, 50),
			p95: pct(p, 95),
			directP50: pct(d, 50),
			directP95: pct(d, 95),
			ratio: pct(p, 50) / pct(d, 50)
		};
		opts.log?.(`page ${page}: ${row.p50.toFixed(0)} ms (direct SQL ${row.directP50.toFixed(0)} ms), ${row.statements} statements, ${row.runs} runs`);
		out.push(row);
	}
	return out;
}
