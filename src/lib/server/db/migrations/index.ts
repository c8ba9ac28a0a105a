import { sqlFiles } from '../../sql-files.ts';

// Vite replaces this call with the inlined files at build time; under tsx import.meta.glob does
// not exist, the call throws, and sqlFiles reads the folder instead.
let globbed: Record<string, string> | undefined;
try {
	globbed = import.meta.glob('./*.sql', { query: '?raw', import: 'default', eager: true });
} catch {
	globbed = undefined;
}

export interface Migration {
	version: number;
	name: string;
	sql: string;
}

export const MIGRATIONS: Migration[] = [...sqlFiles(globbed, import.meta.url, '.').entries()]
	.map(([file, sql]) => {
		const m = /^(\d+)_(.+)\.sql$/.exec(file);
		if (!m) throw new Error(`migration file name must be NNN_name.sql: ${file}`);
		return { version: Number(m[1]), name: m[2], sql };
	})
	.sort((a, b) => a.version - b.version);
