import { error } from '@sveltejs/kit';
import fs from 'node:fs';
import path from 'node:path';
import type { RequestHandler } from './$types';
import { billsOutDir, MONTH_FILES } from '$lib/server/billing/server';

const TYPES: Record<string, string> = {
	csv: 'text/csv; charset=utf-8',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	json: 'application/json'
};

/** Downloads a month's files: /finance/files/2026-03/bills.xlsx, …/2026-03-preview/…, …/2026-03/sellers/S1.xlsx */
export const GET: RequestHandler = ({ params, locals }) => {
	if (!locals.user || locals.user.role === 'seller') error(403, 'forbidden');
	if (!/^\d{4}-\d{2}(-preview)?$/.test(params.month)) error(404, 'no such month');
	const file = params.file;
	const ok = (MONTH_FILES as readonly string[]).includes(file) || /^sellers\/[A-Za-z0-9._%-]+\.xlsx$/.test(file);
	if (!ok || file.includes('..')) error(404, 'no such file');
	const full = path.join(billsOutDir(), params.month, file);
	if (!fs.existsSync(full)) error(404, 'not generated');
	const ext = file.split('.').pop()!;
	return new Response(fs.readFileSync(full), {
		headers: {
			'content-type': TYPES[ext] ?? 'application/octet-stream',
			'content-disposition': `attachment; filename="${params.month}-${path.basename(file)}"`,
			'cache-control': 'no-store'
		}
	});
};
