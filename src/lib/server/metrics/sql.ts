/** The metric templates (./sql/*.sql), inlined by Vite in the server build, read from disk under tsx. */
import { sqlFiles } from '../sql-files.ts';

let globbed: Record<string, string> | undefined;
try {
	globbed = import.meta.glob('./sql/*.sql', { query: '?raw', import: 'default', eager: true });
} catch {
	globbed = undefined;
}

const FILES = sqlFiles(globbed, import.meta.url, './sql');

export function sqlFile(name: string): string {
	const s = FILES.get(name);
	if (s === undefined) throw new Error(`metrics SQL file missing: ${name}`);
	return s.replace(/;\s*$/, '');
}

export function hasSqlFile(name: string): boolean {
	return FILES.has(name);
}

/** A template, or its pre-aggregate variant (`pre_NAME`, reading order_facts / order_windows) when those are current. */
export function templateFile(name: string, preagg: boolean | undefined): string {
	return preagg && FILES.has(`pre_${name}`) ? sqlFile(`pre_${name}`) : sqlFile(name);
}
