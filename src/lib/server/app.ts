/**
 * The running server's shared state: the one read-write handle on the database file.
 * Opened once per process at start-up (hooks.server.ts `init`) and reused by every request.
 */
import type { Db } from './db/connection.ts';
import { openProjectDb } from './db/open.ts';

let dbPromise: Promise<Db> | undefined;

export function getDb(): Promise<Db> {
	dbPromise ??= openProjectDb({ connections: Number(process.env.DB_CONNECTIONS ?? 4) });
	return dbPromise;
}

/** For tests: use this database instead of the file. */
export function setDbForTests(db: Db) {
	dbPromise = Promise.resolve(db);
}
