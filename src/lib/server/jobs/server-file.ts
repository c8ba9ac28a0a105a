/**
 * The running server announces itself beside the database file (DB.server.json, mode 0600):
 * its pid, port and a random token. CLI jobs read it to hand their work over instead of failing
 * on DuckDB's file lock. The file is removed when the server exits.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { serverFileFor, type ServerHandle } from './context.ts';

let token: string | undefined;

export function jobToken(): string {
	return (token ??= crypto.randomBytes(32).toString('base64url'));
}

export function announceServer(dbPath: string, port: number): void {
	if (dbPath === ':memory:') return;
	const file = serverFileFor(dbPath);
	const handle: ServerHandle = { pid: process.pid, port, token: jobToken(), dbPath };
	fs.writeFileSync(file, JSON.stringify(handle), { mode: 0o600 });
	const remove = () => {
		try {
			const cur = JSON.parse(fs.readFileSync(file, 'utf8')) as ServerHandle;
			if (cur.pid === process.pid) fs.rmSync(file, { force: true });
		} catch {
			/* already gone */
		}
	};
	process.once('exit', remove);
	for (const sig of ['SIGINT', 'SIGTERM'] as const)
		process.once(sig, () => {
			remove();
			process.exit(0);
		});
}

export function readServerHandle(dbPath: string): ServerHandle | null {
	try {
		const h = JSON.parse(fs.readFileSync(serverFileFor(dbPath), 'utf8')) as ServerHandle;
		process.kill(h.pid, 0); // throws when no such process: a stale file
		return h;
	} catch {
		return null;
	}
}

export function tokenMatches(given: string | null): boolean {
	if (!given || !token) return false;
	const a = Buffer.from(given);
	const b = Buffer.from(token);
	return a.length === b.length && crypto.timingSafeEqual(a, b);
}
