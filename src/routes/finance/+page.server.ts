import { error, fail, redirect } from '@sveltejs/kit';
import fs from 'node:fs';
import path from 'node:path';
import type { Actions, PageServerLoad } from './$types';
import { getDb } from '$lib/server/app';
import { startBillingJob } from '$lib/server/billing/jobs';
import { MONTH_RE, addMonths, shanghaiMonthOf } from '$lib/server/billing/months';
import { billingMonths, billStatuses, creditBalances, paymentSurpluses } from '$lib/server/billing/status';
import { billsOutDir, defaultBillingDeps, MONTH_FILES } from '$lib/server/billing/server';
import type { RunInfo } from '$lib/server/billing/types';
import { importInvoiceNumbers, invoiceNumberCoverage } from '$lib/server/billing/invoice-numbers';

export const load: PageServerLoad = async ({ locals, url }) => {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname)}`);
	if (locals.user.role === 'seller') error(403, 'The finance page is for finance and ops.');
	const db = await getDb();
	const months = await billingMonths(db);
	const selected = MONTH_RE.test(url.searchParams.get('month') ?? '') ? url.searchParams.get('month')! : (months[0]?.month ?? null);
	const out = billsOutDir();
	const filesOf = (m: string, dir = m) => MONTH_FILES.filter((f) => fs.existsSync(path.join(out, dir, f)));
	let findings: RunInfo['findings'] = [];
	let missing: string[] = [];
	if (selected) {
		const r = await db.one<{ run_json: string }>('SELECT run_json FROM bill_runs WHERE month = $m', { m: selected });
		if (r) ({ findings, missing_inputs: missing } = JSON.parse(r.run_json) as RunInfo);
	}
	const lastMonth = addMonths(shanghaiMonthOf(new Date()), -1);
	return {
		canIssue: locals.user.role === 'finance',
		months: months.map((m) => ({ ...m, files: filesOf(m.month), previewFiles: filesOf(m.month, `${m.month}-preview`) })),
		suggestedMonth: lastMonth,
		selected,
		selectedPreviewFiles: selected ? filesOf(selected, `${selected}-preview`) : [],
		bills: selected ? await billStatuses(db, { month: selected, limit: 500 }) : [],
		overdue: await billStatuses(db, { onlyOverdue: true, limit: 200 }),
		credits: await creditBalances(db),
		surpluses: await paymentSurpluses(db),
		findings,
		missing,
		invoiceNumbers: await invoiceNumberCoverage(db)
	};
};

async function start(locals: App.Locals, request: Request, preview: boolean) {
	if (locals.user?.role !== 'finance') error(403, 'Only finance may issue or preview bills.');
	const form = await request.formData();
	const month = String(form.get('month') ?? '');
	if (!MONTH_RE.test(month)) return fail(400, { message: 'Month must be YYYY-MM.' });
	const job = startBillingJob(await getDb(), { month, preview, actor: `user:${locals.user.email}`, outDir: billsOutDir(), deps: defaultBillingDeps() });
	return { jobId: job.id, month, preview };
}

/** The tax system's 发票号码 for our 发票流水号: a CSV upload (billing/invoice-numbers.ts). */
async function invoiceNumbers(locals: App.Locals, request: Request) {
	if (locals.user?.role !== 'finance') error(403, 'Only finance may import invoice numbers.');
	const file = (await request.formData()).get('file');
	if (!(file instanceof File) || file.size === 0) return fail(400, { invoiceNumbers: { imported: 0, unchanged: 0, errors: ['Choose a CSV file.'] } });
	if (file.size > 20_000_000) return fail(413, { invoiceNumbers: { imported: 0, unchanged: 0, errors: ['The file is larger than 20 MB.'] } });
	const r = await importInvoiceNumbers(await getDb(), await file.text(), `user:${locals.user.email}`);
	return r.errors.length ? fail(400, { invoiceNumbers: r }) : { invoiceNumbers: r };
}

export const actions: Actions = {
	issue: ({ locals, request }) => start(locals, request, false),
	preview: ({ locals, request }) => start(locals, request, true),
	invoiceNumbers: ({ locals, request }) => invoiceNumbers(locals, request)
};
