/**
 * The running server's shared state: the one read-write handle on the database file, and the
 * metrics layer's result cache in front of it (dropped whenever a load or a bill run changes the
 * data; see src/lib/server/metrics/engine.ts).
 * Opened once per process at start-up (hooks.server.ts `init`) and reused by every request.
 */
import type { Db } from './db/connection.ts';
import { openProjectDb } from './db/open.ts';
import { createResultCache, type CachedEngine } from './metrics/engine.ts';
import { ensurePreaggregates } from './preagg/index.ts';

let dbPromise: Promise<Db> | undefined;
let enginePromise: Promise<CachedEngine> | undefined;

export function getDb(): Promise<Db> {
	dbPromise ??= (async () => {
		const db = await openProjectDb({ connections: Number(process.env.DB_CONNECTIONS ?? 4) });
		// A database loaded by an older build or by hand gets its pre-aggregates built (or caught up) once.
		await ensurePreaggregates(db);
		return db;
	})();
	return dbPromise;
}

/** What dashboard pages and downloads query through: the database behind the result cache. */
export function getEngine(): Promise<CachedEngine> {
	enginePromise ??= getDb().then((db) => createResultCache(db));
	return enginePromise;
}

/** For tests: use this database instead of the file. */
export function setDbForTests(db: Db) {
	dbPromise = Promise.resolve(db);
	enginePromise = undefined;
}
