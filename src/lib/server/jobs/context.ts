/**
 * What a command-line job gets to run with, whether it runs in its own process (it opened the
 * database) or inside the running dashboard server (which owns the database file and was handed
 * the job over the loopback endpoint /internal/jobs/NAME).
 */
import type { Db } from '../db/connection.ts';

export interface JobContext {
	db: Db;
	argv: string[];
	/** The caller's working directory: relative paths in argv are resolved against it. */
	cwd: string;
	/** Who runs it, for the audit log (OS user for the CLI). */
	actor: string;
	/** True when output goes to a terminal (progress bars); false in the server hand-off. */
	tty: boolean;
	out(line: string): void;
	err(line: string): void;
	/** Reads a secret (PASSWORD) the CLI collected on the caller's side. */
	env: Record<string, string | undefined>;
}

export type JobRun = (ctx: JobContext) => Promise<number>;

export interface ServerHandle {
	pid: number;
	port: number;
	token: string;
	dbPath: string;
}

export function serverFileFor(dbPath: string): string {
	return `${dbPath}.server.json`;
}
