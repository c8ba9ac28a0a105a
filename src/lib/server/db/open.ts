/**
 * Opens the project database ready for use: migrations applied, reference data refreshed,
 * creation time recorded. Every process (server, CLI job, test) goes through here.
 */
import { openDatabase, type Db, type OpenOptions } from './connection.ts';
import { migrate } from './migrate.ts';
import { refreshReferenceData } from './reference-data.ts';

export async function openProjectDb(opts: OpenOptions = {}): Promise<Db> {
	const db = await openDatabase(opts);
	if (opts.readOnly) return db;
	try {
		await migrate(db);
		await refreshReferenceData(db);
		await db.run(`INSERT INTO settings SELECT 'created_at', strftime(now(), '%Y-%m-%dT%H:%M:%S%z') WHERE NOT EXISTS (SELECT 1 FROM settings WHERE key = 'created_at')`);
	} catch (e) {
		await db.close();
		throw e;
	}
	return db;
}
