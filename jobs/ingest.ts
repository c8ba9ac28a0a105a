/**
 * `npm run ingest -- DIR [--json]`: loads a data folder (data contract, "Inputs").
 * Runs here, or inside the dashboard server when it owns the database (see jobs/lib/run-cli.ts).
 */
import { pathToFileURL } from 'node:url';
import { ingestJob } from '../src/lib/server/ingest/cli.ts';
import { runCli } from './lib/run-cli.ts';

export { exitCode, formatReport } from '../src/lib/server/ingest/cli.ts';

export function main(argv: string[]): Promise<number> {
	return runCli('ingest', argv, ingestJob);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	main(process.argv.slice(2)).then((code) => process.exit(code));
}
