/**
 * `npm run ingest -- DIR [--json]` as a job: runs in the CLI's process or, handed over, inside the
 * server that owns the database. Exit 0 when every row loaded, 1 when rows or files were
 * rejected, 2 when it could not run.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { JobContext } from '../jobs/context.ts';
import { ingestFolder } from './index.ts';
import { IngestError, type IngestProgress, type LoadReport } from './types.ts';

const USAGE = 'usage: npm run ingest -- DIR [--json]';

export function formatReport(r: LoadReport): string {
	const head = ['table', 'file', 'read', 'loaded', 'replaced', 'unchanged', 'rejected'];
	const rows = r.tables.map((t) => [t.table, t.file, t.read, t.loaded, t.replaced, t.unchanged, t.rejected].map(String));
	const width = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
	const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(width[i]) : c.padStart(width[i]))).join('  ');
	const out = [`load ${r.loadId}: ${r.status}`, line(head), ...rows.map(line)];
	for (const t of r.tables) if (t.error) out.push(`  ${t.file}: REJECTED WHOLE FILE — ${t.error}`);
	for (const f of r.findings) out.push(`  ${f.file}: ${f.detail}`);
	if (r.error) out.push(`error: ${r.error}`);
	if (r.rejectsPath) out.push(`rejects: ${r.rejectsPath}`);
	out.push(`report:  ${r.reportPath}`);
	return out.join('\n');
}

export function exitCode(r: LoadReport): number {
	if (r.error) return 2;
	return r.status === 'ok' || r.status === 'unchanged' ? 0 : 1;
}

function progressPrinter(ctx: JobContext): (p: IngestProgress) => void {
	return (p) => {
		const label = `${p.phase}${p.table ? ' ' + p.table : ''}`;
		if (ctx.tty) {
			const w = 30;
			const filled = Math.round((w * p.done) / Math.max(1, p.total));
			process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(w - filled)}] ${label}`.padEnd(70));
			if (p.phase === 'done') process.stderr.write('\n');
		} else ctx.err(`ingest: ${label} (${p.done}/${p.total})`);
	};
}

export async function ingestJob(ctx: JobContext): Promise<number> {
	const json = ctx.argv.includes('--json');
	const dirs = ctx.argv.filter((a) => !a.startsWith('--'));
	if (dirs.length !== 1) {
		ctx.err(USAGE);
		return 2;
	}
	const dir = path.resolve(ctx.cwd, dirs[0]);
	if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
		ctx.err(`ingest: no such folder: ${dirs[0]}`);
		return 2;
	}
	try {
		const report = await ingestFolder(ctx.db, dir, {
			actor: ctx.actor,
			loadsDir: process.env.LOADS_DIR,
			onProgress: progressPrinter(ctx)
		});
		ctx.out(json ? JSON.stringify(report, null, 2) : formatReport(report));
		return exitCode(report);
	} catch (e) {
		ctx.err(`ingest: ${e instanceof IngestError ? e.message : ((e as Error).stack ?? String(e))}`);
		return 2;
	}
}
