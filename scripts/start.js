#!/usr/bin/env node
// `npm start`: make and load sample data when the database is empty, build when the sources are
// newer than the build, then serve the dashboard on PORT (default 3000).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);
const PORT = process.env.PORT || '3000';
const HOST = process.env.HOST || '0.0.0.0';
const ORIGIN = process.env.ORIGIN || `http://localhost:${PORT}`;

function run(cmd, args, env = {}) {
	const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
	if (r.status !== 0) {
		console.error(`\n✗ ${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal}).`);
		process.exit(r.status || 1);
	}
}

function newestMtime(p) {
	if (!fs.existsSync(p)) return 0;
	const st = fs.statSync(p);
	if (!st.isDirectory()) return st.mtimeMs;
	let max = st.mtimeMs;
	for (const e of fs.readdirSync(p)) max = Math.max(max, newestMtime(path.join(p, e)));
	return max;
}

// 1. Data: sample data and demo accounts on an empty database (a no-op otherwise).
run(process.execPath, ['--import', 'tsx', 'jobs/bootstrap.ts', ...process.argv.slice(2)]);

// 2. Build when needed.
const stamp = 'build/handler.js';
const sources = Math.max(
	...['src', 'jobs', 'svelte.config.js', 'vite.config.ts', 'package-lock.json', 'static'].map(newestMtime)
);
if (!fs.existsSync(stamp) || fs.statSync(stamp).mtimeMs < sources) {
	console.log('Building the dashboard (first start or changed sources)…');
	run(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn']);
} else console.log('Build is up to date.');

// 3. Serve.
const server = spawn(process.execPath, ['build/index.js'], {
	stdio: 'inherit',
	env: { ...process.env, PORT, HOST, ORIGIN, BODY_SIZE_LIMIT: process.env.BODY_SIZE_LIMIT || '512M' }
});
const url = `http://localhost:${PORT}`;
(async () => {
	for (let i = 0; i < 120; i++) {
		try {
			const r = await fetch(`http://127.0.0.1:${PORT}/healthz`);
			if (r.ok) {
				console.log(`\n✓ Visual Service Ops is running at ${url}  (Ctrl+C to stop)\n`);
				return;
			}
		} catch {
			/* not up yet */
		}
		await new Promise((r) => setTimeout(r, 500));
	}
	console.error(`The server did not answer on ${url}/healthz within a minute.`);
})();
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.kill(sig));
server.on('exit', (code) => process.exit(code ?? 0));
