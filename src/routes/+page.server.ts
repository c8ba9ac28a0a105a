import type { PageServerLoad } from './$types';
import { requireUser, scopeFor } from '$lib/server/auth/guard';
import { loadKpis, type KpiSpec } from './export/kpis.server';
import { runTable } from './export/tables.server';

/** The Overview's tiles: what each shows, which way is good, and its platform benchmark. */
const KPIS: KpiSpec[] = [
	{ key: 'orders', metric: 'overview', column: 'orders', direction: 'neutral', href: '/categories' },
	{ key: 'images', metric: 'overview', column: 'images', direction: 'neutral', href: '/categories' },
	{ key: 'service_revenue', metric: 'overview', column: 'service_revenue', direction: 'higher', href: '/finance' },
	{ key: 'rework_rate', metric: 'overview', column: 'rework_rate', direction: 'lower', industry: 0.297, points: true, href: '/rework' },
	{ key: 'first_draft_hours', metric: 'overview', column: 'first_draft_hours', direction: 'lower', href: '/sla?sla=first_draft' },
	{ key: 'on_time_rate', metric: 'overview', column: 'on_time_attainment', direction: 'higher', points: true, href: '/sla' },
	{ key: 'dispute_rate', metric: 'overview', column: 'dispute_rate', direction: 'lower', points: true, href: '/disputes' },
	{ key: 'arbitration_hours', metric: 'overview', column: 'arbitration_hours', direction: 'lower', href: '/sla?sla=arbitration' },
	{ key: 'ctr_lift', metric: 'overview', column: 'ctr_lift', direction: 'higher', points: true, href: '/ctr' },
	{ key: 'atc_lift', metric: 'overview', column: 'atc_lift', direction: 'higher', points: true, href: '/ctr' },
	{ key: 'incentives', metric: 'overview', column: 'incentives', direction: 'neutral' },
	{ key: 'compensation', metric: 'overview', column: 'compensation', direction: 'lower', href: '/providers' }
];

export const load: PageServerLoad = async ({ url, locals }) => {
	const scope = scopeFor(requireUser(locals));
	const [k, volume, rework, disputes, ctr] = await Promise.all([
		loadKpis(KPIS, url, scope),
		runTable('volume_month', url, scope),
		runTable('rework_month', url, scope),
		runTable('disputes_month', url, scope),
		runTable('ctr_month', url, scope)
	]);
	return { kpis: k.kpis, kpiErrors: k.errors, volume: volume.table, rework: rework.table, disputes: disputes.table, ctr: ctr.table };
};
