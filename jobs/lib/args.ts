/** Tiny `--flag value` / `--flag` parser for the CLI jobs; values are validated with zod by each job. */
export function parseFlags(argv: string[]): { flags: Record<string, string | true>; positional: string[] } {
	const flags: Record<string, string | true> = {};
	const positional: string[] = [];
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a.startsWith('--')) {
			const eq = a.indexOf('=');
			if (eq > 0) flags[a.slice(2, eq)] = a.slice(eq + 1);
			else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) flags[a.slice(2)] = argv[++i];
			else flags[a.slice(2)] = true;
		} else positional.push(a);
	}
	return { flags, positional };
}
