import { describe, expect, it } from 'vitest';
import { kpiRequest, PAGE_DATA } from '../../../src/routes/export/registry.ts';
import { defFor, measuresOf } from '../../../src/lib/server/metrics/defs.ts';

describe('KPI requests', () => {
	const today = '2026-11-27';

	it('name only measures their metric set has, on every page', () => {
		for (const [page, spec] of Object.entries(PAGE_DATA))
			for (const k of spec.kpis) {
				const req = kpiRequest(new URLSearchParams(), k, { today });
				if (!req.measures) continue;
				expect(measuresOf(defFor(req), req).map((m) => m.name).sort(), `${page} ${k.metric}${k.sla ? `/${k.sla}` : ''}`).toEqual([...req.measures].sort());
			}
	});

	it('ask a tile its column only, keep the page filters and compare with the previous period', () => {
		const params = new URLSearchParams('from=2026-01-01&to=2026-03-31&category=home,jewelry&form=1&sort=x');
		const req = kpiRequest(params, { metric: 'sla', sla: 'on_time_delivery', measures: ['attainment', 'attainment'] }, { today });
		expect(req).toMatchObject({ metric: 'sla', sla: 'on_time_delivery', measures: ['attainment'], compare: true, range: { from: '2026-01-01', to: '2026-03-31' } });
		expect(req.filters).toMatchObject({ category: ['home', 'jewelry'], formFilled: true });
	});

	it('leave the overview and CTR sets whole (they have no per-measure form), and default to the 12-month range', () => {
		const req = kpiRequest(new URLSearchParams(), { metric: 'ctr', measures: ['ctr_lift'] }, { today });
		expect(req.measures).toBeUndefined();
		expect(req.range).toMatchObject({ from: '2025-11-01', to: '2026-10-31' });
	});
});
