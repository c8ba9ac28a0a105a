/**
 * Output goes to a temporary folder beside the final one and is renamed into place whole: a run
 * killed halfway leaves only a `.MONTH.tmp-PID-…` folder, which the next run removes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (e) {
		return (e as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/** Removes temporary folders of `name` left by runs that are no longer alive. */
export function cleanStale(outDir: string, name: string) {
	if (!fs.existsSync(outDir)) return;
	for (const f of fs.readdirSync(outDir)) {
		const m = new RegExp(`^\\.${name.replace(/[.-]/g, '\\$&')}\\.(?:tmp|old)-(\\d+)-`).exec(f);
		if (m && (Number(m[1]) === process.pid || !alive(Number(m[1])))) fs.rmSync(path.join(outDir, f), { recursive: true, force: true });
	}
}

export function makeTempDir(outDir: string, name: string): string {
	fs.mkdirSync(outDir, { recursive: true });
	cleanStale(outDir, name);
	const dir = path.join(outDir, `.${name}.tmp-${process.pid}-${Date.now().toString(36)}`);
	fs.mkdirSync(dir);
	return dir;
}

/** Moves tmp to outDir/name, replacing what is there in one rename (the old folder is set aside first). */
export function publishDir(tmp: string, outDir: string, name: string): string {
	const final = path.join(outDir, name);
	let old: string | undefined;
	if (fs.existsSync(final)) {
		old = path.join(outDir, `.${name}.old-${process.pid}-${Date.now().toString(36)}`);
		fs.renameSync(final, old);
	}
	fs.renameSync(tmp, final);
	if (old) fs.rmSync(old, { recursive: true, force: true });
	return final;
}

/** Hashes of a published month folder in the form render.ts reports them (null if it is incomplete). */
export function hashPublished(dir: string, names: string[]): Record<string, string> | null {
	if (!fs.existsSync(dir)) return null;
	const out: Record<string, string> = {};
	for (const n of names) {
		if (n === 'sellers/') {
			const sd = path.join(dir, 'sellers');
			if (!fs.existsSync(sd)) return null;
			const digest = createHash('sha256');
			for (const f of fs.readdirSync(sd).sort()) {
				digest.update(`${f}\t${createHash('sha256').update(fs.readFileSync(path.join(sd, f))).digest('hex')}\n`);
			}
			out[n] = digest.digest('hex');
			continue;
		}
		const f = path.join(dir, n);
		if (!fs.existsSync(f)) return null;
		out[n] = createHash('sha256').update(fs.readFileSync(f)).digest('hex');
	}
	return out;
}
