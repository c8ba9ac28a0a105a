/** Child processes of the bench: bounded in time, killed by their own pid, output captured. */
import { spawn, type ChildProcess } from 'node:child_process';

export function runChild(
	args: string[],
	opts: { env?: Record<string, string>; timeoutMs: number; log?: (s: string) => void }
): Promise<{ code: number | null; stdout: string; stderr: string; wallMs: number }> {
	return new Promise((resolve, reject) => {
		const t0 = performance.now();
		const child = spawn(process.execPath, args, { env: { ...process.env, ...opts.env }, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (b) => (stdout += b));
		child.stderr.on('data', (b) => {
			stderr += b;
			if (stderr.length > 200_000) stderr = stderr.slice(-100_000);
		});
		const timer = setTimeout(() => {
			opts.log?.(`child ${args.join(' ')} ran over ${opts.timeoutMs} ms: stopping it`);
			child.kill('SIGKILL');
		}, opts.timeoutMs);
		child.on('error', (e) => {
			clearTimeout(timer);
			reject(e);
		});
		child.on('exit', (code) => {
			clearTimeout(timer);
			resolve({ code, stdout, stderr, wallMs: performance.now() - t0 });
		});
	});
}

/** Stops a child: SIGTERM, then SIGKILL after `graceMs`. */
export async function stopChild(child: ChildProcess, graceMs = 10_000): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise<void>((r) => child.once('exit', () => r()));
	child.kill('SIGTERM');
	const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
	await exited;
	clearTimeout(timer);
}
