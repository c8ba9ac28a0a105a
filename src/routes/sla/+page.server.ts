import type { PageServerLoad } from './$types';
import { requireUser, scopeFor } from '$lib/server/auth/guard';
import { SLA_NAMES } from '$lib/server/metrics/request';
import { slaDef } from '$lib/server/metrics/defs';
import { loadKpis, type KpiSpec } from '../export/kpis.server';
import { runTable, slaFromUrl } from '../export/tables.server';

// Service levels with a target get an attainment tile; first draft and acceptance are durations.
const TILES: KpiSpec[] = SLA_NAMES.filter((s) => s !== 'bill_generation').map((s) =>
	s === 'first_draft'
		? { key: `sla_${s}`, metric: 'sla', sla: s, column: 'mean_hours', direction: 'lower', href: `/sla?sla=${s}` }
		: s === 'acceptance'
			? { key: `sla_${s}`, metric: 'sla', sla: s, column: 'share_explicit', direction: 'higher', points: true, href: `/sla?sla=${s}` }
			: { key: `sla_${s}`, metric: 'sla', sla: s, column: 'attainment', direction: 'higher', points: true, href: `/sla?sla=${s}` }
);

export const load: PageServerLoad = async ({ url, locals }) => {
	const scope = scopeFor(requireUser(locals));
	const sla = slaFromUrl(url.searchParams);
	// Payment and bill generation are per seller / per month: they have no provider to break down by.
	const byProvider = slaDef(sla!).dimensions.includes('provider');
	const [k, month, provider, breaches, atRisk] = await Promise.all([
		loadKpis(TILES, url, scope),
		runTable('sla_month', url, scope),
		byProvider ? runTable('sla_provider', url, scope) : null,
		runTable('sla_breaches', url, scope),
		runTable('sla_at_risk', url, scope)
	]);
	return { sla, slas: SLA_NAMES, kpis: k.kpis, month: month.table, provider: provider?.table ?? null, breaches: breaches.table, atRisk: atRisk.table, approx: Boolean(month.result?.meta.approx), notes: (month.result?.meta.notes as string[] | undefined) ?? [], beyond: (month.result?.meta.beyondCalendar as { count: number; years: number[] } | undefined) ?? null };
};
