/** Command line of `npm run bench`: a small, strict parser (unknown flags are an error). */
export const SECTIONS = ['ingest', 'pages', 'metrics', 'bills', 'api', 'weight', 'paint'] as const;
export type Section = (typeof SECTIONS)[number];

export interface BenchArgs {
	scale: number;
	seed: number;
	asOf: string;
	only: Set<Section>;
	/** Length of the API phase; default 15 s at scale ≤ 1, 30 s above. */
	seconds: number;
	/** Best-of rounds for ingest; default 3 at scale ≤ 1 (a 0.5 s figure on a shared 2-core machine swings ±5%), 1 above. */
	repeats: number;
	/** Most warm runs per page; default 8 at scale ≤ 1, 4 above. */
	runs: number;
	/** A page stops adding runs once they took this long (default 5 s); at least one run each side. */
	pageBudgetSeconds: number;
	/** Runs per metric request of bench/metrics.ts (default 10: requests of ~10 ms swing ±30% in 3 runs on 2 cores). */
	metricRuns: number;
}

export const USAGE =
	'usage: npm run bench -- [--scale N] [--seed S] [--as-of YYYY-MM-DD] [--only ingest,pages,metrics,bills,api,weight,paint] [--seconds S] [--repeats R] [--runs R] [--page-budget S] [--metric-runs R]';

export function parseArgs(argv: string[]): BenchArgs {
	const flags = new Map<string, string>();
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
		if (!m) throw new Error(`unexpected argument ${a}`);
		const value = m[2] ?? argv[++i];
		if (value === undefined) throw new Error(`--${m[1]} needs a value`);
		flags.set(m[1], value);
	}
	const known = new Set(['scale', 'seed', 'as-of', 'only', 'seconds', 'repeats', 'runs', 'page-budget', 'metric-runs']);
	for (const k of flags.keys()) if (!known.has(k)) throw new Error(`unknown flag --${k}`);
	const num = (k: string, dflt: number, min: number, max: number) => {
		const v = flags.has(k) ? Number(flags.get(k)) : dflt;
		if (!Number.isFinite(v) || v < min || v > max) throw new Error(`--${k} must be a number in ${min}…${max}`);
		return v;
	};
	const scale = num('scale', 1, 0.01, 1000);
	const asOf = flags.get('as-of') ?? '2026-11-15';
	if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf)) throw new Error('--as-of must be YYYY-MM-DD');
	const only = new Set<Section>();
	for (const s of (flags.get('only') ?? SECTIONS.join(',')).split(',').map((x) => x.trim()).filter(Boolean)) {
		if (!(SECTIONS as readonly string[]).includes(s)) throw new Error(`--only: unknown section ${s} (${SECTIONS.join(', ')})`);
		only.add(s as Section);
	}
	const big = scale > 1;
	return {
		scale,
		seed: Math.trunc(num('seed', 1, 0, 2 ** 31 - 1)),
		asOf,
		only,
		seconds: num('seconds', big ? 30 : 15, 1, 600),
		repeats: Math.trunc(num('repeats', big ? 1 : 3, 1, 10)),
		runs: Math.trunc(num('runs', big ? 4 : 8, 1, 100)),
		pageBudgetSeconds: num('page-budget', 5, 0, 600),
		metricRuns: Math.trunc(num('metric-runs', 10, 1, 100))
	};
}

/** The last complete month before `asOf` (YYYY-MM): 2026-11-15 → 2026-10. */
export function lastCompleteMonth(asOf: string): string {
	const [y, m] = asOf.split('-').map(Number);
	return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}
