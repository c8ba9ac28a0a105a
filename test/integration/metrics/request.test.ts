import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseRequestFromUrl, requestToUrl, metricRequestSchema, type MetricRequest } from '../../../src/lib/server/metrics/request.ts';
import { compileGrouped, previousPeriod } from '../../../src/lib/server/metrics/compile.ts';
import { MetricRequestError } from '../../../src/lib/server/metrics/defs.ts';

const ctx = { now: new Date('2026-05-01T00:00:00+08:00'), today: '2026-04-30' };

describe('request URL form', () => {
	it('reads the readable dashboard form', () => {
		const r = parseRequestFromUrl(new URLSearchParams('metric=rework&from=2026-01-01&to=2026-03-31&category=jewelry,home&group=month&compare=1'));
		expect(r).toEqual({ metric: 'rework', range: { from: '2026-01-01', to: '2026-03-31' }, filters: { category: ['jewelry', 'home'] }, groupBy: 'month', compare: true });
	});

	it('round-trips any valid request', () => {
		const id = fc.stringMatching(/^[A-Za-z0-9_\-.' ;"]{1,12}$/).filter((s) => s.trim() === s && s.length > 0);
		const day = fc.date({ min: new Date('2024-01-01T00:00:00Z'), max: new Date('2027-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
		const req = fc.record(
			{
				metric: fc.constantFrom('volume', 'rework', 'sla', 'ctr', 'overview' as const),
				range: fc.tuple(day, day).map(([a, b]) => (a <= b ? { from: a, to: b } : { from: b, to: a })),
				filters: fc.record(
					{
						category: fc.array(id, { minLength: 1, maxLength: 3 }),
						seller: fc.array(id, { minLength: 1, maxLength: 3 }),
						imageType: fc.subarray(['main', 'scene'] as ('main' | 'scene')[], { minLength: 1 }),
						formFilled: fc.boolean(),
						firstOrder: fc.boolean()
					},
					{ requiredKeys: [] }
				),
				groupBy: fc.constantFrom('category', 'month', 'week', 'seller' as const),
				compare: fc.boolean(),
				sort: fc.record({ field: fc.constantFrom('orders', 'rework_rate'), dir: fc.constantFrom('asc', 'desc' as const) }),
				limit: fc.integer({ min: 1, max: 500 }),
				offset: fc.integer({ min: 0, max: 5000 })
			},
			{ requiredKeys: ['metric'] }
		);
		fc.assert(
			fc.property(req, (r) => {
				const valid = metricRequestSchema.parse(r) as MetricRequest;
				if (valid.filters && Object.keys(valid.filters).length === 0) delete valid.filters;
				const back = parseRequestFromUrl(new URLSearchParams(requestToUrl(valid).toString()));
				expect(back).toEqual(valid);
			}),
			{ numRuns: 200 }
		);
	});

	it('rejects malformed values', () => {
		expect(() => parseRequestFromUrl(new URLSearchParams('metric=volume&from=2026-02-30&to=2026-03-01'))).toThrow();
		expect(() => parseRequestFromUrl(new URLSearchParams('metric=volume&group=password'))).toThrow();
		expect(() => parseRequestFromUrl(new URLSearchParams('metric=drop_table'))).toThrow();
		expect(() => parseRequestFromUrl(new URLSearchParams('metric=volume&from=2026-03-02&to=2026-03-01'))).toThrow();
		expect(() => parseRequestFromUrl(new URLSearchParams('metric=volume&sort=orders;DROP'))).toThrow();
	});
});

describe('compiler', () => {
	it('previous period has the same length and ends the day before', () => {
		expect(previousPeriod('2026-03-01', '2026-03-31')).toEqual({ from: '2026-01-29', to: '2026-02-28' });
		expect(previousPeriod('2026-01-01', '2026-01-01')).toEqual({ from: '2025-12-31', to: '2025-12-31' });
		expect(previousPeriod('2024-03-01', '2024-03-31')).toEqual({ from: '2024-01-30', to: '2024-02-29' });
	});

	it('rejects dimensions, sorts and filters a metric set does not have', () => {
		const bad = (r: Record<string, unknown>) => () => compileGrouped(r as MetricRequest, { sellerId: null }, ctx, { period: 'current', grouped: true });
		expect(bad({ metric: 'volume', groupBy: 'ruling' })).toThrow(MetricRequestError);
		expect(bad({ metric: 'volume', groupBy: 'nope' })).toThrow(MetricRequestError);
		expect(bad({ metric: 'volume', groupBy: 'month', sort: { field: 'password', dir: 'asc' } })).toThrow(MetricRequestError);
		expect(bad({ metric: 'volume', filters: { ruling: ['rejected'] } })).toThrow(MetricRequestError);
		expect(bad({ metric: 'volume', range: { column: 'resolved_at', from: '2026-01-01', to: '2026-01-02' } })).toThrow(MetricRequestError);
		expect(bad({ metric: 'sla' })).toThrow(MetricRequestError);
	});

	it('puts no request text in SQL, and scopes every query', () => {
		const evil = "x' OR 1=1; DROP TABLE orders; --";
		const c = compileGrouped(
			{ metric: 'volume', filters: { category: [evil], seller: [evil] }, groupBy: 'month', range: { from: '2026-01-01', to: '2026-01-31' } },
			{ sellerId: 'S1' },
			ctx,
			{ period: 'current', grouped: true }
		);
		expect(c.sql).not.toContain(evil);
		expect(c.sql).not.toContain('S1');
		expect(c.sql).toContain('seller_id = $scope_seller');
		expect(c.params.scope_seller).toBe('S1');
		expect(c.params.r_from_ts).toBe('2025-12-31T16:00:00.000Z');
		expect(c.params.r_to_ts).toBe('2026-01-31T16:00:00.000Z');
	});
});
