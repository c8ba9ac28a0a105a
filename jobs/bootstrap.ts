/**
 * First-start data step of `npm start` (and of the browser-test server): on an empty database,
 * make the scale-1 sample (unless the folder already exists), load it, and create the demo
 * accounts. On a database with data it only makes sure the demo accounts exist.
 *
 *   node --import tsx jobs/bootstrap.ts [--sample-dir DIR] [--seed S] [--as-of YYYY-MM-DD] [--scale N]
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { openProjectDb } from '../src/lib/server/db/open.ts';
import { DatabaseLockedError, defaultDbPath } from '../src/lib/server/db/connection.ts';
import { writeSample } from '../src/lib/server/sample/index.ts';
import { ingestFolder } from '../src/lib/server/ingest/index.ts';
import { ensureDemoAccounts } from '../src/lib/server/auth/demo.ts';
import { ensurePreaggregates } from '../src/lib/server/preagg/index.ts';
import { parseFlags } from './lib/args.ts';

const Flags = z.object({
	'sample-dir': z.string().default('data/sample'),
	seed: z.coerce.number().int().default(1),
	scale: z.coerce.number().positive().default(1),
	'as-of': z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional()
});

export async function main(argv: string[]): Promise<number> {
	const parsed = Flags.safeParse(parseFlags(argv).flags);
	if (!parsed.success) {
		console.error(z.prettifyError(parsed.error));
		return 2;
	}
	const f = parsed.data;
	let db;
	try {
		db = await openProjectDb();
	} catch (e) {
		if (e instanceof DatabaseLockedError) {
			console.error(`${defaultDbPath()} is held by another process — is the dashboard already running? ${e.message}`);
			return 2;
		}
		throw e;
	}
	try {
		await ensurePreaggregates(db); // also registers the load hook that keeps them current
		const n = (await db.one<{ n: number }>('SELECT count(*) AS n FROM orders'))?.n ?? 0;
		if (n === 0) {
			const dir = path.resolve(f['sample-dir']);
			if (!fs.existsSync(path.join(dir, 'orders.csv')) && !fs.existsSync(path.join(dir, 'orders.parquet'))) {
				console.log(`Making sample data (scale ${f.scale}, seed ${f.seed}) in ${dir} …`);
				const s = await writeSample({ scale: f.scale, seed: f.seed, asOf: f['as-of'], out: dir, onProgress: (m) => console.log(`  ${m}`) });
				console.log(`  ${Object.entries(s.counts).map(([k, v]) => `${k} ${v.toLocaleString('en')}`).join(', ')} (${(s.ms / 1000).toFixed(1)} s)`);
			}
			console.log(`Loading ${dir} into ${db.path} …`);
			const t0 = Date.now();
			const report = await ingestFolder(db, dir, { actor: 'npm start', loadsDir: process.env.LOADS_DIR });
			const loaded = report.tables.reduce((a, t) => a + t.loaded + t.replaced, 0);
			const rejected = report.tables.reduce((a, t) => a + t.rejected, 0);
			console.log(`  ${loaded.toLocaleString('en')} rows loaded, ${rejected} rejected (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
		} else console.log(`Database ${db.path} has ${n.toLocaleString('en')} orders.`);
		const accounts = await ensureDemoAccounts(db);
		if (accounts.length) {
			console.log('Demo accounts (sign in at /login):');
			for (const a of accounts) console.log(`  ${a.role.padEnd(8)} ${a.email}  password: ${a.password}${a.sellerId ? `  (seller ${a.sellerId})` : ''}`);
		}
		return 0;
	} finally {
		await db.close();
	}
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main(process.argv.slice(2));
