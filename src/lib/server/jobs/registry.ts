/** The CLI jobs the server runs when a CLI hands one over (it owns the database file). */
import type { JobRun } from './context.ts';
import { ingestJob } from '../ingest/cli.ts';
import { billsJob } from '../billing/cli.ts';
import { userJob } from '../auth/cli.ts';
import { apiClientJob } from '../api/cli.ts';

export const JOBS: Record<string, JobRun> = {
	ingest: ingestJob,
	bills: billsJob,
	user: userJob,
	'api-client': apiClientJob
};
