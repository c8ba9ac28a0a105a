/**
 * Seller workbooks over worker threads: ~85,000 small files whose cost is compression and file
 * creation, spread over the machine's cores while the main thread streams the lines into
 * bill-lines.csv and the finance workbook. Batches go out as the lines stream in, with a bound on
 * batches in flight so that memory holds a few thousand sellers at most. Where the worker's source
 * file is not on disk (a bundled server build) or workers = 0, the same rendering runs in-thread.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { SellerWorkbooks } from './seller-workbook.ts';
import type { BillRow, LineRow } from './types.ts';

export interface SellerWorkerInit {
	kind: 'init';
	dir: string;
	date: string;
	preview: boolean;
}
export interface SellerBatch {
	kind: 'batch';
	id: number;
	items: { bill: BillRow; lines: LineRow[]; name: string }[];
}
interface Reply {
	id: number;
	hashes?: [string, string][];
	error?: string;
}

const BATCH = 250;
const IN_FLIGHT_PER_WORKER = 4;

function workerFile(): string | null {
	try {
		const f = fileURLToPath(new URL('./seller-worker-boot.mjs', import.meta.url));
		return fs.existsSync(f) && fs.existsSync(f.replace(/-boot\.mjs$/, '.ts')) ? f : null;
	} catch {
		return null;
	}
}

/** Default: one worker per core (at most 4), none on a single core. BILLS_WORKERS overrides. */
export function defaultWorkerCount(): number {
	const env = process.env.BILLS_WORKERS;
	if (env !== undefined && /^\d+$/.test(env)) return Number(env);
	const cores = os.availableParallelism?.() ?? os.cpus().length;
	return cores > 1 ? Math.min(4, cores) : 0;
}

/** Starts a worker and waits until it has built its template (or failed to start). */
function startWorker(file: string, pool: SellerPool, init: SellerWorkerInit): Promise<Worker> {
	return new Promise((resolve, reject) => {
		const w = new Worker(file);
		let ready = false;
		w.on('message', (r: Reply | { ready: true }) => {
			if ('ready' in r) {
				ready = true;
				resolve(w);
			} else pool.settle(r);
		});
		w.on('error', (e) => (ready ? pool.fail(e) : reject(e)));
		w.on('exit', (code) => {
			if (!ready) reject(new Error(`seller worker exited with code ${code} before it was ready`));
			else if (code !== 0 && !pool.closing) pool.fail(new Error(`seller worker exited with code ${code}`));
		});
		w.postMessage(init);
	});
}

export class SellerPool {
	readonly hashes: [string, string][] = [];
	private workers: Worker[] = [];
	private pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
	private inFlight: Promise<void>[] = [];
	private batch: SellerBatch['items'] = [];
	private nextId = 0;
	private rr = 0;
	private failure: Error | null = null;
	private local?: SellerWorkbooks;

	private constructor(
		private readonly dir: string,
		private readonly date: Date,
		private readonly preview: boolean
	) {}

	static async create(dir: string, date: Date, preview: boolean, workers = defaultWorkerCount()): Promise<SellerPool> {
		const pool = new SellerPool(dir, date, preview);
		const file = workers > 0 ? workerFile() : null;
		if (file) {
			try {
				for (let i = 0; i < workers; i++) pool.workers.push(await startWorker(file, pool, { kind: 'init', dir, date: date.toISOString(), preview }));
			} catch (e) {
				// A worker that cannot start (no tsx where this runs): the same rendering in this thread.
				await pool.close();
				console.warn(`billing: seller workbooks in the main thread (${e instanceof Error ? e.message : e})`);
			}
		}
		if (!pool.workers.length) pool.local = await SellerWorkbooks.create(date, preview);
		return pool;
	}

	get threads(): number {
		return this.workers.length;
	}

	closing = false;

	settle(r: Reply) {
		const p = this.pending.get(r.id);
		this.pending.delete(r.id);
		if (r.error) return this.fail(new Error(`seller worker: ${r.error}`));
		if (r.hashes) this.hashes.push(...r.hashes);
		p?.resolve();
	}

	fail(e: Error) {
		this.failure ??= e;
		for (const p of this.pending.values()) p.reject(e);
		this.pending.clear();
	}

	/** Queues one seller's workbook (file name relative to the month folder). */
	async add(bill: BillRow, lines: LineRow[], name: string) {
		if (this.failure) throw this.failure;
		if (!this.workers.length) {
			const bytes = this.local!.render(bill, lines);
			fs.writeFileSync(path.join(this.dir, name), bytes);
			this.hashes.push([path.basename(name), createHash('sha256').update(bytes).digest('hex')]);
			return;
		}
		this.batch.push({ bill, lines, name });
		if (this.batch.length >= BATCH) await this.send();
	}

	private async send() {
		if (!this.batch.length) return;
		while (this.inFlight.length >= IN_FLIGHT_PER_WORKER * this.workers.length) await this.inFlight.shift();
		const id = this.nextId++;
		const done = new Promise<void>((resolve, reject) => this.pending.set(id, { resolve, reject }));
		done.catch(() => undefined); // awaited below or in finish(); a failure is rethrown there
		this.inFlight.push(done);
		this.workers[this.rr++ % this.workers.length].postMessage({ kind: 'batch', id, items: this.batch } satisfies SellerBatch);
		this.batch = [];
	}

	/** Waits for every queued workbook; the hashes are then complete. */
	async finish(): Promise<[string, string][]> {
		try {
			await this.send();
			for (const p of this.inFlight) await p;
			if (this.failure) throw this.failure;
			return this.hashes;
		} finally {
			await this.close();
		}
	}

	async close() {
		this.closing = true;
		const ws = this.workers;
		this.workers = [];
		await Promise.all(ws.map((w) => w.terminate()));
	}
}
