import type { RequestHandler } from './$types';
import { error } from '@sveltejs/kit';
import fs from 'node:fs';
import { requireUser } from '$lib/server/auth/guard';
import { sellerWorkbook } from '../../bills-dir.server';

// The seller id comes from the session, never from the URL: a seller can only ever get their own file.
export const GET: RequestHandler = async ({ params, locals }) => {
	const user = requireUser(locals);
	const file = user.sellerId ? sellerWorkbook(params.month, user.sellerId) : null;
	if (!file) error(404, 'no bill for that month');
	return new Response(new Uint8Array(fs.readFileSync(file)), {
		headers: {
			'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'content-disposition': `attachment; filename="bill-${params.month}-${user.sellerId}.xlsx"`,
			'cache-control': 'private, no-store'
		}
	});
};
