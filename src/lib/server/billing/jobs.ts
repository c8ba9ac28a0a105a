/** Billing runs started from the finance page: an id to poll for live progress. */
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/connection.ts';
import { runBilling, type BillingDeps, type IssueResult } from './run.ts';
import type { Progress } from './types.ts';

export interface BillingJob {
	id: string;
	month: string;
	preview: boolean;
	actor: string;
	state: 'running' | 'done' | 'failed';
	progress: Progress | null;
	result: IssueResult | null;
	error: string | null;
	startedAt: string;
}

const jobs = new Map<string, BillingJob>();

export function startBillingJob(db: Db, o: { month: string; preview: boolean; actor: string; outDir: string; deps: BillingDeps }): BillingJob {
	const job: BillingJob = { id: randomUUID(), month: o.month, preview: o.preview, actor: o.actor, state: 'running', progress: null, result: null, error: null, startedAt: new Date().toISOString() };
	jobs.set(job.id, job);
	runBilling(db, { month: o.month, preview: o.preview, actor: o.actor, outDir: o.outDir, deps: o.deps, onProgress: (p) => (job.progress = p) }).then(
		(r) => {
			job.state = 'done';
			job.result = r;
		},
		(e: Error) => {
			job.state = 'failed';
			job.error = e.message;
		}
	);
	// Keep the last 50 jobs.
	if (jobs.size > 50) jobs.delete(jobs.keys().next().value!);
	return job;
}

export function getBillingJob(id: string): BillingJob | undefined {
	return jobs.get(id);
}
