/**
 * Reads the project's `.sql` files in both worlds it runs in: the Vite-built server (files inlined
 * at build time through import.meta.glob) and the CLI jobs under tsx (read from disk).
 * Callers pass the glob result; under tsx it is undefined and the folder is read instead.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function sqlFiles(
	globbed: Record<string, string> | undefined,
	moduleUrl: string,
	folder: string
): Map<string, string> {
	const out = new Map<string, string>();
	if (globbed && Object.keys(globbed).length) {
		for (const [k, v] of Object.entries(globbed)) out.set(path.basename(k), v);
		return out;
	}
	const dir = path.resolve(path.dirname(fileURLToPath(moduleUrl)), folder);
	for (const f of fs.readdirSync(dir).filter((f) => f.endsWith('.sql')).sort()) {
		out.set(f, fs.readFileSync(path.join(dir, f), 'utf8'));
	}
	return out;
}
