/**
 * What the dashboard server does once at start-up, before the first request: open the database
 * (this process now owns the file), announce itself beside the file so that CLI jobs hand their
 * work over, and start the billing schedule (BILLING_SCHEDULE=off to keep it from issuing).
 * Called from hooks.server.ts `init`.
 */
import { getDb } from './app.ts';
import { announceServer } from './jobs/server-file.ts';
import { startBillingSchedule } from './billing/schedule.ts';
import { billsOutDir, defaultBillingDeps } from './billing/server.ts';

let started: Promise<void> | undefined;

export function startServer(): Promise<void> {
	started ??= (async () => {
		const db = await getDb();
		announceServer(db.path, Number(process.env.PORT ?? 3000));
		if (process.env.BILLING_SCHEDULE !== 'off') startBillingSchedule(getDb, { outDir: billsOutDir(), deps: defaultBillingDeps() });
	})();
	return started;
}
