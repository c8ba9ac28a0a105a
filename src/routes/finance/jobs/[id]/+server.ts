import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { getBillingJob } from '$lib/server/billing/jobs';

/** Live progress of a billing run started from the finance page (polled). */
export const GET: RequestHandler = ({ params, locals }) => {
	if (!locals.user || locals.user.role === 'seller') error(403, 'forbidden');
	const job = getBillingJob(params.id);
	if (!job) error(404, 'no such billing run');
	return json(job, { headers: { 'cache-control': 'no-store' } });
};
