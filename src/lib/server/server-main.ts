/**
 * What the dashboard server does once at start-up, before the first request: open the database
 * (this process now owns the file), announce itself beside the file so that CLI jobs hand their
 * work over, and start the background work that belongs to the owner.
 * Called from hooks.server.ts `init`.
 */
import { getDb } from './app.ts';
import { announceServer } from './jobs/server-file.ts';

let started: Promise<void> | undefined;

export function startServer(): Promise<void> {
	started ??= (async () => {
		const db = await getDb();
		announceServer(db.path, Number(process.env.PORT ?? 3000));
	})();
	return started;
}
