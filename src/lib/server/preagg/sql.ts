/** The pre-aggregate SQL (./sql/*.sql), inlined by Vite in the server build, read from disk under tsx. */
import { sqlFiles } from '../sql-files.ts';

let globbed: Record<string, string> | undefined;
try {
	globbed = import.meta.glob('./sql/*.sql', { query: '?raw', import: 'default', eager: true });
} catch {
	globbed = undefined;
}

const FILES = sqlFiles(globbed, import.meta.url, './sql');

export function preaggSql(name: string): string {
	const s = FILES.get(name);
	if (s === undefined) throw new Error(`preagg SQL file missing: ${name}`);
	return s.replace(/;\s*$/, '');
}
