/**
 * What the dashboard server does once at start-up, before the first request: open the database
 * (this process now owns the file), and start the background work that belongs to the owner.
 * Called from hooks.server.ts `init`. The lead owns this file.
 */
import { getDb } from './app.ts';

let started: Promise<void> | undefined;

export function startServer(): Promise<void> {
	started ??= (async () => {
		await getDb();
	})();
	return started;
}
