/** The billing SQL files of this folder (inlined by Vite in the server build, read from disk under tsx). */
import { sqlFiles } from '../sql-files.ts';

let globbed: Record<string, string> | undefined;
try {
	globbed = import.meta.glob('./*.sql', { query: '?raw', import: 'default', eager: true });
} catch {
	globbed = undefined;
}

const FILES = sqlFiles(globbed, import.meta.url, '.');

/**
 * A named SQL file; `{{name}}` inside it is replaced by file name.sql, or by file subs[name].sql
 * when `subs` names another (our own SQL only, never user text).
 */
export function sql(name: string, subs: Record<string, string> = {}): string {
	const text = FILES.get(`${name}.sql`);
	if (text === undefined) throw new Error(`missing SQL file ${name}.sql`);
	return text.replace(/\{\{(\w+)\}\}/g, (_, inner: string) => `(\n${sql(subs[inner] ?? inner, subs).replace(/;\s*$/, '')}\n)`);
}
