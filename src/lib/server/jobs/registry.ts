/** The CLI jobs the server can run for a hand-off (filled as jobs gain a `run(ctx)` entry). */
import type { JobRun } from './context.ts';

export const JOBS: Record<string, JobRun> = {};
