/**
 * Runs a CLI job: inside the running dashboard server when one owns the database (handing the
 * job over its loopback endpoint), otherwise in this process with the database opened here.
 * Either way the user never sees DuckDB's raw lock error.
 */
import os from 'node:os';
import { DatabaseLockedError, defaultDbPath } from '../../src/lib/server/db/connection.ts';
import { openProjectDb } from '../../src/lib/server/db/open.ts';
import type { JobRun } from '../../src/lib/server/jobs/context.ts';
import { readServerHandle } from '../../src/lib/server/jobs/server-file.ts';
import { ensurePreaggregates } from '../../src/lib/server/preagg/index.ts';

const EXIT_MARK = '\u0000exit:';

export async function runCli(name: string, argv: string[], run: JobRun, env: Record<string, string | undefined> = {}): Promise<number> {
	const dbPath = defaultDbPath();
	const handle = readServerHandle(dbPath);
	if (handle) {
		const code = await handOver(name, argv, handle, env).catch((e: Error) => {
			console.error(`The dashboard server (pid ${handle.pid}) holds ${dbPath} but did not take the job: ${e.message}`);
			return 2;
		});
		return code;
	}
	let db;
	try {
		db = await openProjectDb({ path: dbPath });
	} catch (e) {
		if (e instanceof DatabaseLockedError) {
			console.error(e.message);
			return 2;
		}
		throw e;
	}
	try {
		// Registers the pre-aggregation hook for loads and catches the tables up if they lag.
		await ensurePreaggregates(db);
		return await run({
			db,
			argv,
			cwd: process.cwd(),
			actor: `cli:${os.userInfo().username}`,
			tty: Boolean(process.stderr.isTTY),
			out: (l) => process.stdout.write(l + '\n'),
			err: (l) => process.stderr.write(l + '\n'),
			env
		});
	} finally {
		await db.close();
	}
}

async function handOver(name: string, argv: string[], h: { port: number; token: string; pid: number }, env: Record<string, string | undefined>): Promise<number> {
	console.error(`(the dashboard server, pid ${h.pid}, owns the database: running the job there)`);
	const res = await fetch(`http://127.0.0.1:${h.port}/internal/jobs/${name}`, {
		method: 'POST',
		headers: { authorization: `Bearer ${h.token}`, 'content-type': 'application/json' },
		body: JSON.stringify({ argv, cwd: process.cwd(), actor: `cli:${os.userInfo().username}`, env })
	});
	if (!res.ok || !res.body) throw new Error(`HTTP ${res.status} ${await res.text()}`);
	const decoder = new TextDecoder();
	let buf = '';
	let code = 2;
	for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
		buf += decoder.decode(chunk, { stream: true });
		let nl;
		while ((nl = buf.indexOf('\n')) >= 0) {
			const line = buf.slice(0, nl);
			buf = buf.slice(nl + 1);
			if (line.startsWith(EXIT_MARK)) code = Number(line.slice(EXIT_MARK.length));
			else if (line.startsWith('E ')) process.stderr.write(line.slice(2) + '\n');
			else process.stdout.write(line.slice(2) + '\n');
		}
	}
	return code;
}
