/** The CLI's exit codes and output (main() run in-process). */
import path from 'node:path';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { main } from '../../../jobs/ingest.ts';
import { goodFolder, tempDir, writeFolder } from '../../fixtures/ingest/folder.ts';

let out = '';
let err = '';
const cwd = process.cwd();
beforeEach(() => {
	out = '';
	err = '';
	vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
	vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
	const work = tempDir('cli-');
	process.env.DUCKDB_PATH = path.join(work, 'ops.duckdb');
	process.env.CONFIG_DIR = path.resolve('config');
	process.chdir(work); // data/loads goes here
});
afterEach(() => {
	vi.restoreAllMocks();
	process.chdir(cwd);
	delete process.env.DUCKDB_PATH;
	delete process.env.CONFIG_DIR;
});

it('exit 0 when every row loaded, 1 when rows were rejected, --json prints the report', async () => {
	expect(await main([writeFolder(goodFolder())])).toBe(0);
	expect(out).toMatch(/load 1: ok/);
	expect(out).toMatch(/orders\s+orders\.csv\s+4\s+4\s+0\s+0\s+0/);
	const g = goodFolder();
	g.providers!.push({ provider_id: 'P3', name: 'x', certified_at: 'never' });
	out = '';
	expect(await main([writeFolder(g), '--json'])).toBe(1);
	const report = JSON.parse(out);
	expect(report.status).toBe('partial');
	expect(report.rejectsPath).toMatch(/data\/loads\/2-rejects\.csv$/);
	expect(err).toMatch(/ingest: check providers/); // plain progress lines when not a TTY
});

it('exit 2 when it cannot run', async () => {
	expect(await main(['/nonexistent/folder'])).toBe(2);
	expect(err).toMatch(/no such folder/);
	expect(await main([])).toBe(2);
	expect(await main([tempDir('empty-')])).toBe(2);
	expect(err).toMatch(/no data files/);
});
