import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { openProjectDb } from '../../../src/lib/server/db/open.ts';
import { runBilling } from '../../../src/lib/server/billing/run.ts';
import { order, seller } from './fixtures.ts';
import { stubDeps } from './helpers.ts';

it('a run killed with SIGKILL mid-render leaves no half month, and the next run completes it', async () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bills-kill-'));
	const dbPath = path.join(dir, 'ops.duckdb');
	const out = path.join(dir, 'out');
	const marker = path.join(dir, 'marker');
	let db = await openProjectDb({ path: dbPath });
	for (const s of ['S1', 'S2', 'S3']) {
		await seller(db, s);
		await order(db, { id: `O-${s}`, seller: s, published: '2026-03-01 10:00:00+08', delivered: '2026-03-05 10:00:00+08' });
	}
	await db.close();

	const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('test/integration/billing/kill-child.ts'), dbPath, out, marker], { stdio: 'inherit' });
	const exited = new Promise<NodeJS.Signals | null>((res) => child.on('exit', (_c, sig) => res(sig)));
	const deadline = Date.now() + 90_000;
	while (!fs.existsSync(marker)) {
		if (Date.now() > deadline) throw new Error('child never reached the render step');
		await new Promise((r) => setTimeout(r, 100));
	}
	child.kill('SIGKILL');
	expect(await exited).toBe('SIGKILL');

	// Nothing visible: no month folder, only the temporary one.
	expect(fs.existsSync(path.join(out, '2026-03'))).toBe(false);
	expect(fs.readdirSync(out).filter((f) => f.startsWith('.2026-03.tmp-')).length).toBe(1);

	db = await openProjectDb({ path: dbPath });
	try {
		const r = await runBilling(db, { month: '2026-03', outDir: out, actor: 'test', deps: stubDeps() });
		expect(r.alreadyIssued).toBe(true); // the ledger had committed; the files were completed from it
		expect(fs.readdirSync(out)).toEqual(['2026-03']);
		expect(fs.readdirSync(path.join(out, '2026-03', 'sellers')).sort()).toEqual(['S1.xlsx', 'S2.xlsx', 'S3.xlsx']);
		const run = JSON.parse(fs.readFileSync(path.join(out, '2026-03', 'run.json'), 'utf8'));
		const recorded = await db.one<{ files: string }>(`SELECT files::VARCHAR AS files FROM bill_runs WHERE month = '2026-03'`);
		expect(run.files).toEqual(JSON.parse(recorded!.files));
		expect((await db.all('SELECT * FROM bills')).length).toBe(3);
	} finally {
		await db.close();
		fs.rmSync(dir, { recursive: true, force: true });
	}
}, 120_000);
