/**
 * Versioned migrations: every `NNN_name.sql` in ./migrations runs once, in order, inside a
 * transaction, and is recorded in schema_migrations. Runs at server start-up and before every CLI job.
 */
import type { Db } from './connection.ts';
import { MIGRATIONS } from './migrations/index.ts';

export async function migrate(db: Db): Promise<number[]> {
	await db.run(`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
	const done = new Set((await db.all<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => r.version));
	const applied: number[] = [];
	for (const m of MIGRATIONS) {
		if (done.has(m.version)) continue;
		await db.tx(async (t) => {
			await t.run(m.sql);
			await t.run('INSERT INTO schema_migrations (version, name) VALUES ($v, $n)', { v: m.version, n: m.name });
		});
		applied.push(m.version);
	}
	return applied;
}

export async function schemaVersion(db: Db): Promise<number> {
	const r = await db.one<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
	return r?.v ?? 0;
}
