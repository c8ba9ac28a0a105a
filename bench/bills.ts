/**
 * Bills benchmark: one month rendered as a preview (the whole pipeline, nothing kept in the
 * ledger), its wall time and peak RSS, against DuckDB writing the same month's per-seller summary
 * query straight to CSV in the same process and database.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Db } from '../src/lib/server/db/connection.ts';
import { literal } from '../src/lib/server/db/connection.ts';
import { eventParams, feeSource, sqlWithFees } from '../src/lib/server/billing/amounts.ts';
import { runBilling, type BillingDeps } from '../src/lib/server/billing/run.ts';
import type { Progress } from '../src/lib/server/billing/types.ts';

export interface BillsBench {
	month: string;
	seconds: number;
	peakRssMb: number;
	bills: number;
	lines: number;
	duckdbCsvSeconds: number;
	/** product time ÷ DuckDB COPY time */
	ratio: number;
	/** seconds from the start to each progress step (collect, reconcile, render …, sellers, publish) */
	phases: Record<string, number>;
	/** MB at each phase: RSS (whole process: DuckDB, JS, worker threads) and the main thread's JS heap */
	memory: Record<string, { rss: number; heap: number; external: number }>;
	/** render seconds per part (render.ts timings: csv, vat, finance, lines_csv, lines_xlsx, lines_and_sellers) */
	render: Record<string, number>;
}

export async function benchBills(db: Db, month: string, deps?: BillingDeps): Promise<BillsBench> {
	const realDeps = deps ?? (await import('../src/lib/server/billing/server.ts')).defaultBillingDeps();
	const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-bills-'));
	let peak = process.memoryUsage().rss;
	const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 25);
	try {
		const t0 = performance.now();
		const phases: Record<string, number> = {};
		const memory: BillsBench['memory'] = {};
		const onProgress = (p: Progress) => {
			const key = p.step === 'sellers' ? 'sellers' : `${p.step}${p.message ? `: ${p.message}` : ''}`;
			if (!(key in phases)) {
				phases[key] = Math.round(performance.now() - t0) / 1000;
				const m = process.memoryUsage();
				memory[key] = { rss: Math.round(m.rss / 1e6), heap: Math.round(m.heapUsed / 1e6), external: Math.round(m.external / 1e6) };
			}
			if (p.step === 'sellers' && p.done === p.total) phases['sellers done'] = Math.round(performance.now() - t0) / 1000;
		};
		const r = await runBilling(db, { month, outDir: out, actor: 'bench', preview: true, deps: realDeps, onProgress });
		const seconds = (performance.now() - t0) / 1000;
		clearInterval(sampler);
		const duck = await db.one<{ mb: number }>('SELECT (sum(memory_usage_bytes) / 1e6)::BIGINT AS mb FROM duckdb_memory()');
		memory['DuckDB buffer manager after the run'] = { rss: Math.round(process.memoryUsage().rss / 1e6), heap: 0, external: duck?.mb ?? 0 };
		const run = JSON.parse(fs.readFileSync(path.join(r.dir, 'run.json'), 'utf8'));

		// Baseline: the month's per-seller amounts (events.sql grouped, from the fee source the run read) written by DuckDB to CSV.
		const events = sqlWithFees('events', await feeSource(db)).replace(/;\s*$/, '');
		const csv = path.join(out, 'duckdb-summary.csv');
		const t1 = performance.now();
		await db.run(
			`COPY (SELECT seller_id, sum(amount) FILTER (WHERE amount_type = 'image_fee') AS image_fees,
			   sum(amount) FILTER (WHERE amount_type = 'language_fee') AS language_fees,
			   sum(amount) FILTER (WHERE amount_type = 'refund') AS refunds,
			   sum(amount) FILTER (WHERE amount_type = 'credit') AS credits,
			   sum(amount) FILTER (WHERE amount_type = 'compensation') AS compensation
			 FROM (${events}) GROUP BY seller_id ORDER BY seller_id) TO ${literal(csv)} (HEADER, DELIMITER ',')`,
			eventParams(month, month)
		);
		const duckdbCsvSeconds = (performance.now() - t1) / 1000;
		return {
			month,
			seconds,
			peakRssMb: Math.round(peak / 1e6),
			bills: run.inputs.sellers_billed,
			lines: run.inputs.bill_lines,
			duckdbCsvSeconds,
			ratio: seconds / Math.max(duckdbCsvSeconds, 1e-6),
			phases,
			memory,
			render: Object.fromEntries(Object.entries(r.renderTimings ?? {}).map(([k, v]) => [k, Math.round(v * 100) / 100]))
		};
	} finally {
		clearInterval(sampler);
		fs.rmSync(out, { recursive: true, force: true });
	}
}
