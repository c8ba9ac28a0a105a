/**
 * Runs bench/bills.ts in a process of its own so that its peak memory is the bills run's alone:
 *   node --import tsx bench/lib/bills-child.ts DB_PATH YYYY-MM
 * Prints one JSON line: benchBills' result plus the process's maxRSS (MB, from the kernel).
 */
import { openProjectDb } from '../../src/lib/server/db/open.ts';
import { benchBills } from '../bills.ts';

const [dbPath, month] = process.argv.slice(2);
if (!dbPath || !/^\d{4}-\d{2}$/.test(month ?? '')) {
	process.stderr.write('usage: bills-child.ts DB_PATH YYYY-MM\n');
	process.exit(2);
}
const rssBefore = process.resourceUsage().maxRSS;
const db = await openProjectDb({ path: dbPath });
// Optional cap on DuckDB's buffer manager for this process (an experiment knob; the default run leaves DuckDB's own default).
if (process.env.BILLS_DUCKDB_MEMORY_LIMIT && /^\d+(MB|GB)$/.test(process.env.BILLS_DUCKDB_MEMORY_LIMIT))
	await db.run(`SET memory_limit = '${process.env.BILLS_DUCKDB_MEMORY_LIMIT}'`);
try {
	const r = await benchBills(db, month);
	// maxRSS is in kilobytes (getrusage)
	process.stdout.write(JSON.stringify({ ...r, maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024), startRssMb: Math.round(rssBefore / 1024) }) + '\n');
} finally {
	await db.close();
}
