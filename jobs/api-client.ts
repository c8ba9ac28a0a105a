/**
 * npm run api-client -- add --seller SELLER_ID | revoke CLIENT_ID | list [--seller SELLER_ID]
 * (see src/lib/server/api/cli.ts). Hands the job to the running server when it owns the database.
 */
import { runCli } from './lib/run-cli.ts';
import { apiClientJob } from '../src/lib/server/api/cli.ts';

export async function main(argv: string[]): Promise<number> {
	return runCli('api-client', argv, apiClientJob);
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main(process.argv.slice(2));
