/**
 * KPI tiles: each is one measure of one metric set's total for the page's filters, with the change
 * against the previous period of equal length (the metrics layer's compare) and its benchmark.
 */
import type { Kpi } from '$lib/components/types';
import type { Direction, ValueKind } from '$lib/format';
import { filterQuery } from '$lib/url-state';
import { today } from '$lib/server/clock';
import type { MetricRequest, Scope } from '$lib/server/metrics/request';
import { runMetric, type FullResult } from './metrics-bridge.server';
import { kpiRequest } from './registry';

export interface KpiSpec {
	key: string;
	metric: MetricRequest['metric'];
	sla?: MetricRequest['sla'];
	column: string;
	direction: Direction;
	benchmark?: number;
	industry?: number;
	/** Page the tile links to (filters carried). */
	href?: string;
	/** Rates compare in percentage points, not relative change. */
	points?: boolean;
}

export async function loadKpis(specs: KpiSpec[], url: URL, scope: Scope): Promise<{ kpis: Kpi[]; errors: string[] }> {
	const keyOf = (s: KpiSpec) => `${s.metric}|${s.sla ?? ''}`;
	const distinct = [...new Map(specs.map((s) => [keyOf(s), s])).values()];
	const errors: string[] = [];
	const results = new Map<string, FullResult | null>();
	await Promise.all(
		distinct.map(async (s) => {
			try {
				const measures = specs.filter((o) => keyOf(o) === keyOf(s)).map((o) => o.column);
				results.set(keyOf(s), await runMetric(kpiRequest(url.searchParams, { metric: s.metric, sla: s.sla, measures }, { today: today() }), scope));
			} catch (e) {
				errors.push(`${s.metric}${s.sla ? `/${s.sla}` : ''}: ${(e as Error).message}`);
				results.set(keyOf(s), null);
			}
		})
	);
	const carry = filterQuery(url.searchParams);
	const kpis = specs.map((s): Kpi => {
		const r = results.get(keyOf(s)) ?? null;
		const i = r ? r.columns.findIndex((c) => c.name === s.column) : -1;
		const kind: ValueKind = i >= 0 ? r!.columns[i].kind : 'number';
		const value = i >= 0 && r!.totals ? (r!.totals[i] as number | null) : null;
		const d = r?.deltas?.[s.column];
		const bench = s.benchmark ?? (i >= 0 ? (r!.columns[i].benchmark ?? null) : null);
		return {
			key: s.key,
			value: typeof value === 'number' ? value : null,
			kind,
			previous: d ? d.previous : null,
			delta: d ? (s.points ? d.change : d.relative) : null,
			deltaIsPoints: s.points,
			direction: s.direction,
			benchmark: bench,
			industry: s.industry ?? null,
			href: s.href ? `${s.href}${carry ? `?${carry}` : ''}` : undefined
		};
	});
	return { kpis, errors };
}
