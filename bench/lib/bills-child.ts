/**
 * Runs bench/bills.ts in a process of its own so that its peak memory is the bills run's alone:
 *   node --import tsx bench/lib/bills-child.ts DB_PATH YYYY-MM
 * Prints one JSON line: benchBills' result plus the process's maxRSS (MB, from the kernel).
 */
import { openProjectDb } from '../../src/lib/server/db/open.ts';
import { billsDuckDbMemoryLimit } from '../../src/lib/server/billing/memory.ts';
import { benchBills } from '../bills.ts';

const [dbPath, month] = process.argv.slice(2);
if (!dbPath || !/^\d{4}-\d{2}$/.test(month ?? '')) {
	process.stderr.write('usage: bills-child.ts DB_PATH YYYY-MM\n');
	process.exit(2);
}
const rssBefore = process.resourceUsage().maxRSS;
// The memory limit `npm run bills` gives DuckDB in a process of its own (jobs/bills.ts): the bench measures that process.
const db = await openProjectDb({ path: dbPath, memoryLimit: process.env.DUCKDB_MEMORY_LIMIT ?? billsDuckDbMemoryLimit() });
try {
	const r = await benchBills(db, month);
	// maxRSS is in kilobytes (getrusage)
	// The bench resets the kernel's peak between phases (VmHWM), which getrusage's maxRSS follows: the process's peak is the larger of both.
	const phases = Object.values(r.phasePeakRssMb).filter((v): v is number => typeof v === 'number');
	const maxRssMb = Math.max(Math.round(process.resourceUsage().maxRSS / 1024), ...phases);
	process.stdout.write(JSON.stringify({ ...r, maxRssMb, startRssMb: Math.round(rssBefore / 1024) }) + '\n');
} finally {
	await db.close();
}
