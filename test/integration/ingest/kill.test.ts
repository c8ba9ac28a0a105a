/** A load killed with SIGKILL halfway leaves the database file exactly as it was. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { expect, it } from 'vitest';
import { openProjectDb } from '../../../src/lib/server/db/open.ts';
import { ingestFolder } from '../../../src/lib/server/ingest/index.ts';
import { writeCtrDaily } from '../../fixtures/ingest/big.ts';
import { goodFolder, order, tempDir, writeFolder } from '../../fixtures/ingest/folder.ts';
import { snapshot } from './helpers.ts';

it('kill -9 in the middle of a load', async () => {
	const work = tempDir('kill-');
	const dbPath = path.join(work, 'ops.duckdb');
	const loadsDir = path.join(work, 'loads');
	let db = await openProjectDb({ path: dbPath });
	await ingestFolder(db, writeFolder(goodFolder()), { loadsDir });
	const before = await snapshot(db, true);
	const loadsBefore = await db.all('SELECT load_id, status FROM loads ORDER BY ALL');
	await db.close();

	// The second folder changes orders (merged early in the transaction) and brings a big ctr_daily.
	const g = goodFolder();
	const dir = writeFolder({ ...g, orders: [...g.orders!, order({ order_id: 'O77' })], ctr_daily: [] });
	writeCtrDaily(dir, 400_000);
	const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/ingest/kill-child.ts', dbPath, dir, loadsDir], { stdio: ['ignore', 'pipe', 'inherit'] });
	let out = '';
	const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
	child.stdout.on('data', (b: Buffer) => {
		out += b.toString();
		// orders are merged inside the open transaction; ctr_daily is being checked: kill now
		if (out.includes('check ctr_daily') && !child.killed) child.kill('SIGKILL');
	});
	expect(await exited).toBe('SIGKILL');
	expect(out).toContain('merge orders');
	expect(out).not.toContain('finished');

	db = await openProjectDb({ path: dbPath });
	try {
		expect(await snapshot(db, true)).toEqual(before);
		expect(await db.all('SELECT load_id, status FROM loads ORDER BY ALL')).toEqual(loadsBefore);
		// and the file still loads afterwards
		const again = await ingestFolder(db, dir, { loadsDir });
		expect(again.tables.find((t) => t.table === 'ctr_daily')?.loaded).toBe(400_000);
	} finally {
		await db.close();
	}
}, 120_000);
