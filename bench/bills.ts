/**
 * Bills benchmark: one month rendered as a preview (the whole pipeline, nothing kept in the
 * ledger), against DuckDB writing the same month's per-seller summary query straight to CSV in the
 * same process and database. Timed in two phases, as the renderer runs them: the main files
 * (compute, reconcile, bills-summary.csv, bill-lines.csv, bills.xlsx, vat-invoices.*), then the
 * per-seller workbooks (with run.json and the move into place); each phase's peak RSS is the
 * kernel's (VmHWM, whole process: DuckDB, JS, worker threads), its window reset between phases.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Db } from '../src/lib/server/db/connection.ts';
import { literal } from '../src/lib/server/db/connection.ts';
import { eventParams, feeSource, sqlWithFees } from '../src/lib/server/billing/amounts.ts';
import { peakRssMb } from '../src/lib/server/billing/memory.ts';
import { runBilling, type BillingDeps } from '../src/lib/server/billing/run.ts';
import type { Progress } from '../src/lib/server/billing/types.ts';

export interface BillsBench {
	month: string;
	/** the whole run: main files, seller workbooks, run.json, publish */
	seconds: number;
	/** from the start until the main files are written (issue #4: ≤ 60 s) */
	mainSeconds: number;
	/** the per-seller workbooks, until the run returns (issue #4: ≤ 300 s) */
	sellerSeconds: number;
	/** peak RSS (MB, kernel VmHWM of the process) per phase: compute (until reconcile), main files, seller workbooks */
	phasePeakRssMb: Record<string, number | null>;
	peakRssMb: number;
	bills: number;
	lines: number;
	duckdbCsvSeconds: number;
	/** main-files time ÷ DuckDB COPY time (the summary query straight to CSV) */
	ratio: number;
	/** the whole run's time ÷ DuckDB COPY time */
	ratioAll: number;
	/** seconds from the start to each progress step (collect, reconcile, render …, sellers, publish) */
	phases: Record<string, number>;
	/** MB at each phase: RSS (whole process: DuckDB, JS, worker threads) and the main thread's JS heap */
	memory: Record<string, { rss: number; heap: number; external: number }>;
	/** per phase, the RSS sample (every 25 ms) with the highest RSS and its parts (MB) */
	atPeak: Record<string, { step: string; rss: number; heapUsed: number; heapTotal: number; external: number; arrayBuffers: number }>;
	/** render seconds per part (render.ts timings: csv, vat, finance, lines, lines_csv, lines_xlsx, main_files, seller_workbooks) */
	render: Record<string, number>;
}

export async function benchBills(db: Db, month: string, deps?: BillingDeps): Promise<BillsBench> {
	const realDeps = deps ?? (await import('../src/lib/server/billing/server.ts')).defaultBillingDeps();
	const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-bills-'));
	let peak = process.memoryUsage().rss;
	// Per phase, the sample with the highest RSS and what it was made of (main thread's JS heap, buffers).
	let phase = 'compute';
	let lastKey = '';
	const atPeak: BillsBench['atPeak'] = {};
	const sampler = setInterval(() => {
		const m = process.memoryUsage();
		peak = Math.max(peak, m.rss);
		const mb = (n: number) => Math.round(n / 1e6);
		if (m.rss / 1e6 > (atPeak[phase]?.rss ?? 0))
			atPeak[phase] = { step: lastKey, rss: mb(m.rss), heapUsed: mb(m.heapUsed), heapTotal: mb(m.heapTotal), external: mb(m.external), arrayBuffers: mb(m.arrayBuffers) };
	}, 25);
	const phasePeakRssMb: Record<string, number | null> = {};
	let mainSeconds = NaN;
	try {
		peakRssMb(true);
		const t0 = performance.now();
		const phases: Record<string, number> = {};
		const memory: BillsBench['memory'] = {};
		const onProgress = (p: Progress) => {
			const key = p.step === 'sellers' ? 'sellers' : `${p.step}${p.message ? `: ${p.message}` : ''}`;
			lastKey = key;
			if (!(key in phases)) {
				phases[key] = Math.round(performance.now() - t0) / 1000;
				const m = process.memoryUsage();
				memory[key] = { rss: Math.round(m.rss / 1e6), heap: Math.round(m.heapUsed / 1e6), external: Math.round(m.external / 1e6) };
				// Phase windows of the kernel's peak: compute | main files | seller workbooks.
				if (key === 'reconcile') {
					phasePeakRssMb.compute = peakRssMb(true);
					phase = 'main files';
				}
				if (key === 'render: sellers/') {
					phase = 'seller workbooks';
					mainSeconds = (performance.now() - t0) / 1000;
					phasePeakRssMb['main files'] = peakRssMb(true);
				}
			}
			if (p.step === 'sellers' && p.done === p.total) phases['sellers done'] = Math.round(performance.now() - t0) / 1000;
		};
		const r = await runBilling(db, { month, outDir: out, actor: 'bench', preview: true, deps: realDeps, onProgress });
		const seconds = (performance.now() - t0) / 1000;
		phasePeakRssMb['seller workbooks'] = peakRssMb();
		clearInterval(sampler);
		if (!Number.isFinite(mainSeconds)) throw new Error('the run never reported the start of the seller workbooks (render: sellers/)');
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
			mainSeconds,
			sellerSeconds: seconds - mainSeconds,
			phasePeakRssMb,
			atPeak,
			peakRssMb: Math.round(peak / 1e6),
			bills: run.inputs.sellers_billed,
			lines: run.inputs.bill_lines,
			duckdbCsvSeconds,
			ratio: mainSeconds / Math.max(duckdbCsvSeconds, 1e-6),
			ratioAll: seconds / Math.max(duckdbCsvSeconds, 1e-6),
			phases,
			memory,
			render: Object.fromEntries(Object.entries(r.renderTimings ?? {}).map(([k, v]) => [k, Math.round(v * 100) / 100]))
		};
	} finally {
		clearInterval(sampler);
		fs.rmSync(out, { recursive: true, force: true });
	}
}
