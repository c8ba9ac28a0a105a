import { sqlFiles } from '../sql-files.ts';

// Vite inlines the files at build time; under tsx import.meta.glob does not exist and the folder is read.
let globbed: Record<string, string> | undefined;
try {
	globbed = import.meta.glob('./*.sql', { query: '?raw', import: 'default', eager: true });
} catch {
	globbed = undefined;
}

const files = sqlFiles(globbed, import.meta.url, '.');

export function apiSql(name: string): string {
	const s = files.get(name);
	if (!s) throw new Error(`missing SQL file ${name}`);
	return s;
}
