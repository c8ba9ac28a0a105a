/**
 * The billing job: the one code path behind `npm run bills`, the finance page's buttons and the
 * schedule. Issues a month (first any earlier month with activity that is not issued, in order),
 * or previews it (same files, marked, nothing kept in the ledger). See README.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/connection.ts';
import type { BillingConfig } from '../config.ts';
import { computeMonth, monthsWithActivity } from './compute.ts';
import { addMonths, assertMonth, MONTH_RE, shanghaiMonthOf } from './months.ts';
import { cleanStale, hashPublished, makeTempDir, publishDir } from './publish.ts';
import { readMonth, streamLines } from './read.ts';
import { reconcile, ReconciliationError } from './reconcile.ts';
import { renderMonth, runJson, type RenderedFiles } from './render.ts';
import { withBillingLock } from './lock.ts';
import type { IncentiveSource, MonthData, Progress } from './types.ts';

export interface BillingDeps {
	incentives: IncentiveSource;
	config: Pick<BillingConfig, 'tax_classification_code' | 'tax_short_name' | 'item_name' | 'vat_rate' | 'first_billing_month'>;
	/** Test hook: sees (and may spoil) a month's rows just before its reconciliation. */
	beforeReconcile?: (d: MonthData) => void;
	/** Test hook: called after each file group is written to the temporary folder. */
	onRendered?: (month: string) => void | Promise<void>;
}

export interface IssueOptions {
	month: string;
	outDir: string;
	actor: string;
	preview?: boolean;
	onProgress?: (p: Progress) => void;
	deps: BillingDeps;
}

export interface IssueResult {
	month: string;
	dir: string;
	preview: boolean;
	/** True when the month was issued before this call: nothing new was written to the ledger. */
	alreadyIssued: boolean;
	/** Months issued by this call, in order (earlier ones first, then `month`). */
	issuedMonths: string[];
	files: Record<string, string>;
	messages: string[];
	/** A preview's render seconds per part (for the benchmark; never written to a file). */
	renderTimings?: Record<string, number>;
}

export class BillingError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'BillingError';
	}
}

class PreviewRollback extends Error {
	constructor(
		readonly data: MonthData,
		readonly rendered: RenderedFiles
	) {
		super('preview: rolled back');
	}
}

/** Settings key 'created_at' → the month before (default first billing month). */
export async function firstBillingMonth(db: Db, configured: string | null): Promise<string> {
	if (configured) return assertMonth(configured);
	const r = await db.one<{ value: string }>(`SELECT value FROM settings WHERE key = 'created_at'`);
	// Written by openProjectDb with strftime in the session's Asia/Shanghai zone: its first 7 characters are the month.
	const m = r?.value && MONTH_RE.test(r.value.slice(0, 7)) ? r.value.slice(0, 7) : shanghaiMonthOf(new Date());
	return addMonths(m, -1);
}

export async function issuedMonths(db: Db): Promise<string[]> {
	return (await db.all<{ month: string }>('SELECT month FROM bill_runs ORDER BY month')).map((r) => r.month);
}

/** The months a request for `month` issues, in order: earlier unissued months with activity, then month. */
export async function monthsToIssue(db: Db, month: string, configuredFirst: string | null): Promise<string[]> {
	const issued = await issuedMonths(db);
	const latest = issued.at(-1);
	if (latest && month < latest)
		throw new BillingError(
			`${month} was not issued and comes before ${latest}, the latest issued month; its rows are billed as adjustments in the next open month.`
		);
	let from: string;
	if (latest) from = addMonths(latest, 1);
	else {
		const first = await firstBillingMonth(db, configuredFirst);
		// On request a month before the first billing month may be issued; it starts the ledger with the earliest activity.
		from = month >= first ? first : ((await monthsWithActivity(db, '2000-01', month))[0] ?? month);
	}
	const earlier = (await monthsWithActivity(db, from, addMonths(month, -1))).filter((m) => m < month);
	return [...earlier, month];
}

function vatSettings(deps: BillingDeps) {
	return { rate: deps.config.vat_rate, taxCode: deps.config.tax_classification_code, itemName: deps.config.item_name };
}

async function audit(db: Db, actor: string, action: string, detail: unknown) {
	await db.run(`INSERT INTO audit_log (actor, action, detail) VALUES ($actor, $action, $detail::JSON)`, { actor, action, detail: JSON.stringify(detail) });
}

/** Writes (or finds in place) the files of an issued month; records their hashes the first time. */
async function ensureFiles(db: Db, month: string, outDir: string, opts: IssueOptions, data?: MonthData): Promise<Record<string, string>> {
	const run = await db.one<{ files: string | null }>('SELECT files::VARCHAR AS files FROM bill_runs WHERE month = $month', { month });
	const recorded = run?.files ? (JSON.parse(run.files) as Record<string, string>) : null;
	const final = path.join(outDir, month);
	if (recorded) {
		const names = Object.keys(recorded);
		const onDisk = hashPublished(final, names);
		if (onDisk && names.every((n) => onDisk[n] === recorded[n]) && fs.existsSync(path.join(final, 'run.json'))) {
			cleanStale(outDir, month);
			return recorded;
		}
	}
	const d = data ?? (await readMonth(db, month));
	const problems = reconcile(d);
	if (problems.length) throw new ReconciliationError(problems);
	const tmp = makeTempDir(outDir, month);
	try {
		const rendered = await renderMonth(d, streamLines(db, month), tmp, { shortName: opts.deps.config.tax_short_name, preview: false, onProgress: opts.onProgress });
		if (recorded && JSON.stringify(rendered.files) !== JSON.stringify(recorded))
			throw new BillingError(`${month}: the files rendered from the ledger differ from the hashes recorded at issue (was the renderer changed?)`);
		fs.writeFileSync(path.join(tmp, 'run.json'), runJson(d, rendered, false));
		await opts.deps.onRendered?.(month);
		opts.onProgress?.({ month, step: 'publish', done: 0, total: 1 });
		publishDir(tmp, outDir, month);
		if (!recorded)
			await db.run(`UPDATE bill_runs SET files = $files::JSON, published_at = now() WHERE month = $month`, { month, files: JSON.stringify(rendered.files) });
		return rendered.files;
	} catch (e) {
		fs.rmSync(tmp, { recursive: true, force: true });
		throw e;
	}
}

export function runBilling(db: Db, opts: IssueOptions): Promise<IssueResult> {
	assertMonth(opts.month);
	return withBillingLock(async () => {
		// DuckDB's allocator hands freed memory back to the system in the background: the month's
		// temporary tables and scans otherwise stay in the process's RSS through the render.
		await db.run('SET allocator_background_threads = true');
		return opts.preview ? preview(db, opts) : issue(db, opts);
	});
}

async function issue(db: Db, opts: IssueOptions): Promise<IssueResult> {
	const { month, outDir } = opts;
	const messages: string[] = [];
	if ((await issuedMonths(db)).includes(month)) {
		const files = await ensureFiles(db, month, outDir, opts);
		messages.push(`${month} was already issued: returning the same files.`);
		return { month, dir: path.join(outDir, month), preview: false, alreadyIssued: true, issuedMonths: [], files, messages };
	}
	const months = await monthsToIssue(db, month, opts.deps.config.first_billing_month);
	const earlier = months.slice(0, -1);
	if (earlier.length) messages.push(`Issuing ${earlier.join(', ')} first: earlier months with activity that were not issued.`);
	let files: Record<string, string> = {};
	for (const m of months) {
		opts.onProgress?.({ month: m, step: 'collect', done: 0, total: 1 });
		const data = await db.tx(async (t) => {
			const info = await computeMonth(t, m, {
				incentives: opts.deps.incentives,
				vat: vatSettings(opts.deps),
				actor: opts.actor,
				preview: false,
				earlierIssued: m === month ? earlier : []
			});
			const d = await readMonth(t, m);
			opts.deps.beforeReconcile?.(d);
			opts.onProgress?.({ month: m, step: 'reconcile', done: 0, total: 1 });
			const problems = reconcile(d);
			if (problems.length) throw new ReconciliationError(problems);
			await audit(t, opts.actor, 'bills.issue', { month: m, totals: info.totals, requested: month });
			return d;
		});
		files = await ensureFiles(db, m, outDir, opts, data);
		messages.push(`Issued ${m}: ${data.bills.length} bills, ${data.invoices.length} VAT invoices.`);
	}
	opts.onProgress?.({ month, step: 'done', done: 1, total: 1 });
	return { month, dir: path.join(outDir, month), preview: false, alreadyIssued: false, issuedMonths: months, files, messages };
}

async function preview(db: Db, opts: IssueOptions): Promise<IssueResult> {
	const { month, outDir } = opts;
	if ((await issuedMonths(db)).includes(month)) {
		const r = await issue(db, opts);
		return { ...r, messages: [`${month} is issued: a preview shows nothing new; here are the issued files.`, ...r.messages] };
	}
	const months = await monthsToIssue(db, month, opts.deps.config.first_billing_month);
	const name = `${month}-preview`;
	const tmp = makeTempDir(outDir, name);
	try {
		// The preview's rows exist only inside its transaction: the files are rendered there, streaming, before the rollback.
		let data: MonthData;
		let rendered: RenderedFiles;
		try {
			await db.tx(async (t) => {
				for (const m of months) {
					opts.onProgress?.({ month: m, step: 'collect', done: 0, total: 1 });
					await computeMonth(t, m, { incentives: opts.deps.incentives, vat: vatSettings(opts.deps), actor: opts.actor, preview: true, earlierIssued: m === month ? months.slice(0, -1) : [] });
				}
				const d = await readMonth(t, month);
				opts.deps.beforeReconcile?.(d);
				opts.onProgress?.({ month, step: 'reconcile', done: 0, total: 1 });
				const problems = reconcile(d);
				if (problems.length) throw new ReconciliationError(problems);
				const r = await renderMonth(d, streamLines(t, month), tmp, { shortName: opts.deps.config.tax_short_name, preview: true, onProgress: opts.onProgress });
				throw new PreviewRollback(d, r);
			});
			throw new Error('unreachable');
		} catch (e) {
			if (!(e instanceof PreviewRollback)) throw e;
			data = e.data;
			rendered = e.rendered;
		}
		fs.writeFileSync(path.join(tmp, 'run.json'), runJson(data, rendered, true));
		publishDir(tmp, outDir, name);
		await audit(db, opts.actor, 'bills.preview', { month, totals: data.info.totals });
		const messages = [`Preview of ${month} written (nothing recorded in the ledger).`];
		if (months.length > 1) messages.push(`It assumes ${months.slice(0, -1).join(', ')} issued first, as issuing would.`);
		return { month, dir: path.join(outDir, name), preview: true, alreadyIssued: false, issuedMonths: [], files: rendered.files, messages, renderTimings: rendered.timings };
	} catch (e) {
		fs.rmSync(tmp, { recursive: true, force: true });
		throw e;
	}
}
