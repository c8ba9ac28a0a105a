/**
 * `npm run ingest -- DIR [--json]`: loads a data folder (data contract, "Inputs").
 * Exit 0 when every row loaded, 1 when rows or files were rejected, 2 when it could not run.
 */
import fs from 'node:fs';
import os from 'node:os';
import { pathToFileURL } from 'node:url';
import { DatabaseLockedError } from '../src/lib/server/db/connection.ts';
import { openProjectDb } from '../src/lib/server/db/open.ts';
import { ingestFolder } from '../src/lib/server/ingest/index.ts';
import { IngestError, type IngestProgress, type LoadReport } from '../src/lib/server/ingest/types.ts';

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

function progressPrinter(): (p: IngestProgress) => void {
	const tty = process.stderr.isTTY;
	return (p) => {
		const label = `${p.phase}${p.table ? ' ' + p.table : ''}`;
		if (tty) {
			const w = 30;
			const filled = Math.round((w * p.done) / Math.max(1, p.total));
			process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(w - filled)}] ${label}`.padEnd(70));
			if (p.phase === 'done') process.stderr.write('\n');
		} else {
			process.stderr.write(`ingest: ${label} (${p.done}/${p.total})\n`);
		}
	};
}

export function exitCode(r: LoadReport): number {
	if (r.error) return 2;
	return r.status === 'ok' || r.status === 'unchanged' ? 0 : 1;
}

export async function main(argv: string[]): Promise<number> {
	const json = argv.includes('--json');
	const dirs = argv.filter((a) => !a.startsWith('--'));
	if (dirs.length !== 1) {
		process.stderr.write(`${USAGE}\n`);
		return 2;
	}
	if (!fs.existsSync(dirs[0]) || !fs.statSync(dirs[0]).isDirectory()) {
		process.stderr.write(`ingest: no such folder: ${dirs[0]}\n`);
		return 2;
	}
	let db;
	try {
		db = await openProjectDb();
	} catch (e) {
		process.stderr.write(`ingest: ${e instanceof DatabaseLockedError ? e.message : (e as Error).message}\n`);
		return 2;
	}
	try {
		const report = await ingestFolder(db, dirs[0], { actor: `cli:${os.userInfo().username}`, onProgress: progressPrinter() });
		if (json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
		else process.stdout.write(formatReport(report) + '\n');
		return exitCode(report);
	} catch (e) {
		process.stderr.write(`ingest: ${e instanceof IngestError ? e.message : (e as Error).stack}\n`);
		return 2;
	} finally {
		await db.close();
	}
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
	main(process.argv.slice(2)).then((code) => process.exit(code));
}
