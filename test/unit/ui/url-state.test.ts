import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { activePreset, effectiveRange, filterQuery, listParam, pageHref, presetRange, PRESETS, sortHref, tableState, withParams } from '../../../src/lib/url-state.ts';

describe('withParams', () => {
	it('sets, removes and sorts parameters into one readable spelling', () => {
		expect(withParams('/rework?to=2026-03-31&from=2026-01-01', { category: ['jewelry', 'home'] })).toBe('/rework?category=jewelry%2Chome&from=2026-01-01&to=2026-03-31');
		expect(withParams('/?category=home&compare=1', { category: [], compare: false })).toBe('/');
		expect(withParams('/', { compare: true })).toBe('/?compare=1');
	});
	it('resets every table page when a filter changes, keeps it otherwise', () => {
		expect(withParams('/sla?sla_breaches.page=3&sla=arbitration', { region: ['yiwu'] })).toBe('/sla?region=yiwu&sla=arbitration');
		expect(withParams('/sla?sla_breaches.page=3', { 'sla_breaches.sort': 'hours' })).toBe('/sla?sla_breaches.page=3&sla_breaches.sort=hours');
	});
	it('is idempotent', () => {
		fc.assert(
			fc.property(fc.dictionary(fc.constantFrom('from', 'to', 'category', 'x.sort', 'x.page', 'compare'), fc.string({ minLength: 1, maxLength: 8 })), (changes) => {
				const once = withParams('/p?z=1', changes);
				expect(withParams(once, {})).toBe(once);
			})
		);
	});
});

describe('presets', () => {
	const today = '2026-11-15';
	it('computes inclusive day ranges relative to today', () => {
		expect(presetRange('30d', today)).toEqual({ from: '2026-10-16', to: '2026-11-14' });
		expect(presetRange('mtd', today)).toEqual({ from: '2026-11-01', to: '2026-11-15' });
		expect(presetRange('last_month', today)).toEqual({ from: '2026-10-01', to: '2026-10-31' });
		expect(presetRange('qtd', today)).toEqual({ from: '2026-10-01', to: '2026-11-15' });
		expect(presetRange('ytd', today)).toEqual({ from: '2026-01-01', to: '2026-11-15' });
		expect(presetRange('12m', today)).toEqual({ from: '2025-11-01', to: '2026-10-31' });
	});
	it('recognises the preset a URL range equals', () => {
		for (const p of PRESETS) {
			const r = presetRange(p, today);
			const found = activePreset(r.from, r.to, today);
			expect(presetRange(found!, today)).toEqual(r);
		}
		expect(activePreset('2026-02-03', '2026-02-04', today)).toBeNull();
	});
	it('falls back to the default range only when the URL lacks one end', () => {
		expect(effectiveRange(new URLSearchParams('from=2026-01-01&to=2026-01-31'), today)).toEqual({ from: '2026-01-01', to: '2026-01-31' });
		expect(effectiveRange(new URLSearchParams('from=2026-01-01'), today)).toEqual(presetRange('12m', today));
	});
});

describe('table state in the URL', () => {
	const url = new URL('http://x/rework?from=2026-01-01&to=2026-03-31&rework_month.sort=rework_rate&rework_month.dir=asc&rework_month.page=2');
	it('reads sort, direction and page per table', () => {
		expect(tableState(url.searchParams, 'rework_month')).toEqual({ sort: 'rework_rate', dir: 'asc', page: 2 });
		expect(tableState(url.searchParams, 'other')).toEqual({ sort: null, dir: 'desc', page: 1 });
	});
	it('flips direction on the sorted column and starts from page 1', () => {
		expect(sortHref(url, 'rework_month', 'rework_rate')).toBe('/rework?from=2026-01-01&rework_month.dir=desc&rework_month.sort=rework_rate&to=2026-03-31');
		expect(sortHref(url, 'rework_month', 'drafted')).toContain('rework_month.dir=desc&rework_month.sort=drafted');
		expect(pageHref(url, 'rework_month', 1)).not.toContain('rework_month.page');
	});
	it('carries only filters to other pages and downloads', () => {
		expect(filterQuery(url.searchParams)).toBe('from=2026-01-01&to=2026-03-31');
		expect(listParam(new URLSearchParams('category=a,,b'), 'category')).toEqual(['a', 'b']);
	});
});
