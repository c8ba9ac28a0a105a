/**
 * The built dashboard server for the API and page-weight sections: built when build/ is missing or
 * older than the sources, started as a child process on a free loopback port against the bench
 * database, and stopped by its own pid.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { runChild, stopChild } from './child.ts';

function newestMtime(p: string): number {
	if (!fs.existsSync(p)) return 0;
	const st = fs.statSync(p);
	if (!st.isDirectory()) return st.mtimeMs;
	return fs.readdirSync(p).reduce((m, e) => Math.max(m, newestMtime(path.join(p, e))), st.mtimeMs);
}

/** Builds when needed; returns the seconds spent building (0 when the build was current). */
export async function ensureBuild(log: (s: string) => void): Promise<number> {
	const stamp = 'build/handler.js';
	const sources = Math.max(...['src', 'svelte.config.js', 'vite.config.ts', 'static'].map(newestMtime));
	if (fs.existsSync(stamp) && fs.existsSync('build/index.js') && fs.statSync(stamp).mtimeMs >= sources) return 0;
	log('building the dashboard (build/ missing or older than src/) …');
	const r = await runChild(['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn'], { timeoutMs: 600_000, log });
	if (r.code !== 0) throw new Error(`vite build failed (exit ${r.code}):\n${r.stderr.slice(-2000)}`);
	return r.wallMs / 1000;
}

export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const s = net.createServer();
		s.once('error', reject);
		s.listen(0, '127.0.0.1', () => {
			const port = (s.address() as net.AddressInfo).port;
			s.close(() => resolve(port));
		});
	});
}

export interface RunningServer {
	baseUrl: string;
	child: ChildProcess;
	/** peak resident memory so far (VmHWM, MB), or null off Linux */
	peakRssMb(): number | null;
	stop(): Promise<void>;
	output(): string;
}

export async function startServer(opts: { dbPath: string; today: string; workDir: string; log: (s: string) => void }): Promise<RunningServer> {
	const port = await freePort();
	const baseUrl = `http://127.0.0.1:${port}`;
	const child = spawn(process.execPath, ['build/index.js'], {
		env: {
			...process.env,
			DUCKDB_PATH: opts.dbPath,
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: baseUrl,
			BILLING_SCHEDULE: 'off',
			TODAY: opts.today,
			BILLS_OUT_DIR: path.join(opts.workDir, 'out')
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let out = '';
	const keep = (b: Buffer) => (out = (out + b.toString()).slice(-20_000));
	child.stdout!.on('data', keep);
	child.stderr!.on('data', keep);
	const server: RunningServer = {
		baseUrl,
		child,
		peakRssMb() {
			try {
				const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
				return m ? Math.round(Number(m[1]) / 1024) : null;
			} catch {
				return null;
			}
		},
		stop: () => stopChild(child),
		output: () => out
	};
	const deadline = performance.now() + 60_000;
	while (performance.now() < deadline) {
		if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) before answering:\n${out}`);
		try {
			const r = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2000) });
			await r.arrayBuffer();
			if (r.ok) return server;
		} catch {
			/* not up yet */
		}
		await new Promise((r) => setTimeout(r, 250));
	}
	await server.stop();
	throw new Error(`the server did not answer ${baseUrl}/healthz within 60 s:\n${out}`);
}
