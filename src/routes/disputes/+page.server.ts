import type { PageServerLoad } from './$types';
import { requireUser, scopeFor } from '$lib/server/auth/guard';
import { loadKpis } from '../export/kpis.server';
import { runTable } from '../export/tables.server';

export const load: PageServerLoad = async ({ url, locals }) => {
	const scope = scopeFor(requireUser(locals));
	const [k, month, rulings, reasons, guidance] = await Promise.all([
		loadKpis(
			[
				{ key: 'dispute_rate', metric: 'disputes', column: 'dispute_rate', direction: 'lower', points: true },
				{ key: 'arbitration_hours', metric: 'sla', sla: 'arbitration', column: 'mean_hours', direction: 'lower' },
				{ key: 'arbitration_attainment', metric: 'sla', sla: 'arbitration', column: 'attainment', direction: 'higher', points: true },
				{ key: 'first_response_attainment', metric: 'sla', sla: 'dispute_first_response', column: 'attainment', direction: 'higher', points: true }
			],
			url,
			scope
		),
		runTable('disputes_month', url, scope),
		runTable('dispute_rulings', url, scope),
		runTable('dispute_reasons', url, scope),
		runTable('guidance_sellers', url, scope)
	]);
	return { kpis: k.kpis, month: month.table, rulings: rulings.table, reasons: reasons.table, guidance: guidance.table };
};
