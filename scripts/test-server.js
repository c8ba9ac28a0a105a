#!/usr/bin/env node
// The server the browser tests run against: a fresh throw-away database with fixed-date sample
// data (seed 1, as-of 2026-11-15, so figures do not move with the calendar), built app, loopback only.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);
const PORT = process.env.PORT || '4173';
const dir = path.resolve('.tmp/browser-test');
fs.rmSync(path.join(dir, 'ops.duckdb'), { force: true });
fs.rmSync(path.join(dir, 'ops.duckdb.wal'), { force: true });
fs.mkdirSync(dir, { recursive: true });
const env = {
	...process.env,
	DUCKDB_PATH: path.join(dir, 'ops.duckdb'),
	BILLS_OUT_DIR: path.join(dir, 'out'),
	BILLING_SCHEDULE: 'off',
	LOADS_DIR: path.join(dir, 'loads'),
	TODAY: '2026-11-27',
	PORT,
	HOST: '127.0.0.1',
	ORIGIN: `http://127.0.0.1:${PORT}`
};
function run(args) {
	const r = spawnSync(process.execPath, args, { stdio: 'inherit', env });
	if (r.status !== 0) process.exit(r.status || 1);
}
run(['--import', 'tsx', 'jobs/bootstrap.ts', '--sample-dir', path.join(dir, 'sample'), '--as-of', '2026-11-15', '--seed', '1']);
if (!process.env.SKIP_BUILD) run(['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn']);
const server = spawn(process.execPath, ['build/index.js'], { stdio: 'inherit', env });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.kill(sig));
server.on('exit', (code) => process.exit(code ?? 0));
