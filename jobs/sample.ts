/**
 * `npm run sample -- [--scale N] [--seed S] [--as-of YYYY-MM-DD] [--out DIR] [--format csv|parquet]`
 * Writes a deterministic sample data folder (data contract): 18 months of history ending at --as-of.
 * Exit 0 on success, 2 on bad arguments or failure.
 */
import { z } from 'zod';
import { writeSample } from '../src/lib/server/sample/index.ts';
import { parseFlags } from './lib/args.ts';

const Day = z
	.string()
	.regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
	.refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'not a calendar day');

export const SampleFlags = z
	.object({
		scale: z.coerce.number().positive().max(1000).default(1),
		seed: z.coerce.number().int().min(0).max(2 ** 31 - 1).default(1),
		'as-of': Day.optional(),
		out: z.string().min(1).default('data/sample'),
		format: z.enum(['csv', 'parquet']).optional()
	})
	.strict();

const USAGE = 'usage: npm run sample -- [--scale N] [--seed S] [--as-of YYYY-MM-DD] [--out DIR] [--format csv|parquet]';

export async function main(argv: string[]): Promise<number> {
	const { flags, positional } = parseFlags(argv);
	if (flags.help) {
		console.log(USAGE);
		return 0;
	}
	const parsed = SampleFlags.safeParse(flags);
	if (!parsed.success || positional.length) {
		console.error(parsed.success ? `unexpected argument: ${positional.join(' ')}` : z.prettifyError(parsed.error));
		console.error(USAGE);
		return 2;
	}
	const f = parsed.data;
	console.log(`Sample data: scale ${f.scale}, seed ${f.seed}, as of ${f['as-of'] ?? 'today (Asia/Shanghai)'} → ${f.out}`);
	try {
		const r = await writeSample({
			scale: f.scale,
			seed: f.seed,
			asOf: f['as-of'],
			out: f.out,
			format: f.format,
			onProgress: (m) => console.log(`  ${m}`)
		});
		const width = Math.max(...Object.keys(r.counts).map((k) => k.length));
		for (const [table, n] of Object.entries(r.counts)) console.log(`  ${table.padEnd(width)} ${n.toLocaleString('en').padStart(12)} rows`);
		console.log(`Wrote ${r.files.length} files to ${r.out} in ${(r.ms / 1000).toFixed(1)} s.`);
		return 0;
	} catch (e) {
		console.error(`sample failed: ${(e as Error).message}`);
		return 2;
	}
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main(process.argv.slice(2));
