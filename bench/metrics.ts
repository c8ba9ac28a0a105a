/**
 * Metrics layer benchmark: each metric request warm (p50/p95 over runs) through runMetric, twice —
 * uncached (the Db itself: every statement runs, so the cache cannot hide a slow query) and through
 * the result cache (createResultCache) — against DuckDB running the same compiled SQL directly on
 * the same connection pool. The SQL is captured from the product's own run (a recording
 * QueryEngine) and replayed with the same concurrency, so `ratio` (uncached p50 ÷ direct p50) is
 * the cost of the layer itself: validation, compiling, the pre-aggregate freshness check, shaping,
 * JS statistics. The pre-aggregates are brought up to date first (ensurePreaggregates).
 */
import type { Db } from '../src/lib/server/db/connection.ts';
import type { QueryEngine } from '../src/lib/server/metrics/engine.ts';
import { runMetric } from '../src/lib/server/metrics/run.ts';
import { createResultCache } from '../src/lib/server/metrics/engine.ts';
import { incentiveDecisions } from '../src/lib/server/metrics/incentives.ts';
import { ensurePreaggregates } from '../src/lib/server/preagg/index.ts';
import type { MetricRequest } from '../src/lib/server/metrics/request.ts';

export interface MetricBench {
	metric: string;
	p50: number;
	p95: number;
	/** through the result cache (warm: every run after the first is a hit) */
	cachedP50: number;
	cachedP95: number;
	directP50: number;
	directP95: number;
	ratio: number;
}

const REQUESTS: { name: string; req: MetricRequest }[] = [
	{ name: 'overview', req: { metric: 'overview', range: { from: '2026-09-01', to: '2026-09-30' }, compare: true } },
	{ name: 'rework by month', req: { metric: 'rework', groupBy: 'month', compare: true, range: { from: '2026-01-01', to: '2026-06-30' } } },
	{ name: 'on-time by provider', req: { metric: 'sla', sla: 'on_time_delivery', groupBy: 'provider' } },
	{ name: 'breach list page', req: { metric: 'sla_items', sla: 'on_time_delivery', filters: { slaState: ['breached'] }, limit: 50 } },
	{ name: 'ctr by category', req: { metric: 'ctr', groupBy: 'category' } },
	{ name: 'ctr orders page', req: { metric: 'ctr_orders', limit: 50 } },
	{ name: 'ctr diff-in-diff by category', req: { metric: 'ctr_did', groupBy: 'category', range: { from: '2026-09-01', to: '2026-09-30' } } }
];

function pct(xs: number[], p: number): number {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

interface Call {
	sql: string;
	params: Record<string, unknown>;
}

/** Runs as the product would, writing down every statement and which ones ran together. */
class Recorder implements QueryEngine {
	batches: Call[][] = [[]];
	constructor(private db: Db) {}
	all<T>(sql: string, params: Record<string, unknown>): Promise<T[]> {
		this.batches[this.batches.length - 1].push({ sql, params });
		// statements issued in the same tick ran concurrently (Promise.all); a later tick starts a new batch
		queueMicrotask(() => {
			if (this.batches[this.batches.length - 1].length) this.batches.push([]);
		});
		return this.db.all<T>(sql, params);
	}
}

type Run = (engine: QueryEngine) => Promise<unknown>;

export async function benchMetrics(db: Db, opts: { runs?: number; today?: string } = {}): Promise<MetricBench[]> {
	const runs = opts.runs ?? 20;
	const today = opts.today ?? '2026-11-15';
	const scope = { sellerId: null };
	await ensurePreaggregates(db);
	const jobs: { name: string; run: Run }[] = [
		...REQUESTS.map(({ name, req }) => ({ name, run: (e: QueryEngine) => runMetric(e, req, scope, { today }) })),
		// the overview's incentives tile and the billing job: one month of closing windows
		{ name: 'incentives, one month', run: (e: QueryEngine) => incentiveDecisions(e, { closesInMonth: '2026-09', scope }) }
	];
	const out: MetricBench[] = [];
	for (const { name, run } of jobs) {
		const rec = new Recorder(db);
		await run(rec); // warm-up and capture
		const batches = rec.batches.filter((b) => b.length);
		const cached = createResultCache(db);
		await run(cached);
		const product: number[] = [];
		const hit: number[] = [];
		const direct: number[] = [];
		for (let i = 0; i < runs; i++) {
			let t = performance.now();
			await run(db);
			product.push(performance.now() - t);
			t = performance.now();
			await run(cached);
			hit.push(performance.now() - t);
			t = performance.now();
			for (const b of batches) await Promise.all(b.map((c) => db.all(c.sql, c.params)));
			direct.push(performance.now() - t);
		}
		const p50 = pct(product, 50);
		const directP50 = pct(direct, 50);
		out.push({ metric: name, p50, p95: pct(product, 95), cachedP50: pct(hit, 50), cachedP95: pct(hit, 95), directP50, directP95: pct(direct, 95), ratio: p50 / directP50 });
	}
	return out;
}
