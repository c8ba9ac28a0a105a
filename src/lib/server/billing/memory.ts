/** The process's memory: its peak (for BILLS_TIMINGS and the bench), and a full collection between phases. */
import fs from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';

/**
 * The process's peak RSS (all threads, from the kernel: VmHWM) since it started or was last reset;
 * `reset` starts a new window (Linux /proc/self/clear_refs). null where there is no /proc.
 */
export function peakRssMb(reset = false): number | null {
	try {
		const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
		if (reset) fs.writeFileSync('/proc/self/clear_refs', '5');
		return m ? Math.round(Number(m[1]) / 1024) : null;
	} catch {
		return null;
	}
}

let gcFn: (() => void) | null | undefined;

/**
 * A full garbage collection, where V8 lets us ask for one. The month's computation leaves a few
 * hundred MB of dead objects (incentive decisions, rows read back) that V8 would keep until the
 * heap is under pressure, on top of DuckDB's memory: collecting between the run's phases (and
 * every ~20,000 lines while they stream) keeps the process's peak down (issue #4's memory target).
 * Costs ~0.1 s each; a no-op where not allowed.
 */
export function collectGarbage(): void {
	if (gcFn === undefined) {
		try {
			v8.setFlagsFromString('--expose-gc');
			gcFn = vm.runInNewContext('gc') as () => void;
		} catch {
			gcFn = null;
		}
	}
	gcFn?.();
}

/**
 * DuckDB's memory limit for a process that runs only the bills (`npm run bills` in its own process,
 * the bench's bills child): BILLS_DUCKDB_MEMORY_LIMIT, default 500MB (scale 100: process peak
 * 1.48 GB, 1.57 GB with 600MB). The month's temp tables and the base-table blocks it scanned otherwise stay in DuckDB's buffers (~1.1 GB at scale 100) for
 * the whole render; with the limit they are evicted or spilled, at a cost of a few seconds. A
 * dashboard server running the job keeps its own limit (DUCKDB_MEMORY_LIMIT): the job never
 * lowers the memory of the server's other work.
 */
export function billsDuckDbMemoryLimit(): string {
	const v = process.env.BILLS_DUCKDB_MEMORY_LIMIT ?? '500MB';
	if (!/^\d+(\.\d+)?\s*(MB|GB|MiB|GiB)$/i.test(v)) throw new Error(`BILLS_DUCKDB_MEMORY_LIMIT must look like 500MB or 1GB, not ${JSON.stringify(v)}`);
	return v;
}
