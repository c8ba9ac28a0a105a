/**
 * `npm run bills -- --month YYYY-MM [--out DIR] [--preview]` as a JobRun: the same function runs
 * in the CLI's own process or inside the dashboard server when it owns the database.
 */
import path from 'node:path';
import { loadBillingConfig } from '../config.ts';
import type { JobContext } from '../jobs/context.ts';
import { realIncentives } from './incentive-source.ts';
import { MONTH_RE } from './months.ts';
import { BillingError, runBilling } from './run.ts';
import { ReconciliationError } from './reconcile.ts';
import type { Progress } from './types.ts';

export const BILLS_USAGE = 'usage: npm run bills -- --month YYYY-MM [--out DIR] [--preview]';

export function parseBillsArgs(argv: string[]): { month: string; out: string; preview: boolean } | string {
	let month: string | undefined;
	let out = 'out';
	let preview = false;
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (a === '--month') month = argv[++i];
		else if (a.startsWith('--month=')) month = a.slice(8);
		else if (a === '--out') out = argv[++i];
		else if (a.startsWith('--out=')) out = a.slice(6);
		else if (a === '--preview') preview = true;
		else return `unknown argument ${a}\n${BILLS_USAGE}`;
	}
	if (!month || !MONTH_RE.test(month)) return `--month YYYY-MM is required\n${BILLS_USAGE}`;
	if (!out) return `--out needs a folder\n${BILLS_USAGE}`;
	return { month, out, preview };
}

function progressPrinter(ctx: JobContext) {
	let last = '';
	return (p: Progress) => {
		const label = `${p.month} ${p.step}${p.message ? ` (${p.message})` : ''}`;
		if (ctx.tty && process.stderr.isTTY) {
			const width = 30;
			const filled = p.total ? Math.round((p.done / p.total) * width) : 0;
			process.stderr.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.done}/${p.total} ${label}`.padEnd(90));
			if (p.step === 'done') process.stderr.write('\n');
		} else if (label !== last) {
			ctx.err(label);
		}
		last = label;
	};
}

export async function billsJob(ctx: JobContext): Promise<number> {
	const args = parseBillsArgs(ctx.argv);
	if (typeof args === 'string') {
		ctx.err(args);
		return 2;
	}
	try {
		const r = await runBilling(ctx.db, {
			month: args.month,
			outDir: path.resolve(ctx.cwd, args.out),
			actor: ctx.actor,
			preview: args.preview,
			onProgress: progressPrinter(ctx),
			deps: { incentives: realIncentives, config: loadBillingConfig() }
		});
		if (ctx.tty && process.stderr.isTTY) process.stderr.write('\n');
		for (const m of r.messages) ctx.out(m);
		ctx.out(`Files in ${r.dir}`);
		return 0;
	} catch (e) {
		if (e instanceof ReconciliationError || e instanceof BillingError) {
			ctx.err(e.message);
			return 1;
		}
		throw e;
	}
}
