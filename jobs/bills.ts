/** npm run bills -- --month YYYY-MM [--out DIR] [--preview]  (src/lib/server/billing/README.md) */
import { pathToFileURL } from 'node:url';
import { billsJob } from '../src/lib/server/billing/cli.ts';
import { billsDuckDbMemoryLimit } from '../src/lib/server/billing/memory.ts';
import { runCli } from './lib/run-cli.ts';

export function main(argv: string[]): Promise<number> {
	// When this process opens the database itself it runs only the bills: DuckDB gets the bills' limit
	// (memory.ts). DUCKDB_MEMORY_LIMIT set by the caller wins; a server taking the job keeps its own.
	process.env.DUCKDB_MEMORY_LIMIT ??= billsDuckDbMemoryLimit();
	return runCli('bills', argv, billsJob);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
	main(process.argv.slice(2)).then(
		(code) => process.exit(code),
		(e) => {
			console.error(e instanceof Error ? e.message : e);
			// DuckDB's advice names its own setting; ours is the one to change for this job
			if (e instanceof Error && /Out of Memory/i.test(e.message))
				console.error(`The bills run with DuckDB limited to ${process.env.DUCKDB_MEMORY_LIMIT} (BILLS_DUCKDB_MEMORY_LIMIT, default 500MB): run again with e.g. BILLS_DUCKDB_MEMORY_LIMIT=1GB. Nothing was issued or moved into place.`);
			process.exit(2);
		}
	);
}
