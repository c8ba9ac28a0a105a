import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { deltaTone, formatDate, formatHours, formatInt, formatMoney, formatMonth, formatPercent, formatSignedPercent, formatValue } from '../../../src/lib/format.ts';

describe('formatMoney (integer fen → ¥)', () => {
	it('writes yuan with grouping and two decimals in both locales', () => {
		expect(formatMoney(123456, 'en')).toBe('¥1,234.56');
		expect(formatMoney(123456, 'zh')).toBe('¥1,234.56');
		expect(formatMoney(22797, 'en')).toBe('¥227.97');
		expect(formatMoney(5, 'en')).toBe('¥0.05');
		expect(formatMoney(-20000, 'en')).toBe('-¥200.00');
		expect(formatMoney(0, 'zh')).toBe('¥0.00');
	});
	it('is a dash for missing values', () => {
		expect(formatMoney(null, 'en')).toBe('–');
		expect(formatMoney(undefined, 'zh')).toBe('–');
	});
	it('round-trips every fen amount exactly (no float drift)', () => {
		fc.assert(
			fc.property(fc.integer({ min: -1e12, max: 1e12 }), (fen) => {
				const s = formatMoney(fen, 'en');
				const back = Math.round(Number(s.replace(/[¥,]/g, '')) * 100);
				expect(back).toBe(fen);
			})
		);
	});
});

describe('numbers, percentages, hours, dates', () => {
	it('groups integers', () => {
		expect(formatInt(1234567, 'en')).toBe('1,234,567');
		expect(formatInt(1234567, 'zh')).toBe('1,234,567');
	});
	it('formats ratios as percentages', () => {
		expect(formatPercent(0.113, 'en')).toBe('11.3%');
		expect(formatPercent(0.372, 'zh')).toBe('37.2%');
		expect(formatSignedPercent(0.05, 'en')).toBe('+5.0%');
		expect(formatSignedPercent(-0.012, 'en')).toBe('-1.2%');
	});
	it('labels hours per language', () => {
		expect(formatHours(42.6, 'en')).toBe('42.6 h');
		expect(formatHours(31.2, 'zh')).toBe('31.2 小时');
	});
	it('reads a bare day as a Shanghai day (no shift to the previous date)', () => {
		expect(formatDate('2026-03-01', 'en')).toBe('Mar 1, 2026');
		expect(formatDate('2026-03-01', 'zh')).toBe('2026年3月1日');
	});
	it('formats months per locale', () => {
		expect(formatMonth('2026-03', 'en')).toBe('Mar 2026');
		expect(formatMonth('2026-03', 'zh')).toBe('2026年3月');
	});
	it('dispatches on kind', () => {
		expect(formatValue('money', 100, 'en')).toBe('¥1.00');
		expect(formatValue('bool', true, 'zh')).toBe('是');
		expect(formatValue('text', null, 'en')).toBe('–');
	});
});

describe('deltaTone', () => {
	it('colours by the metric direction', () => {
		expect(deltaTone(0.02, 'higher')).toBe('good');
		expect(deltaTone(0.02, 'lower')).toBe('bad');
		expect(deltaTone(-0.02, 'lower')).toBe('good');
		expect(deltaTone(0.5, 'neutral')).toBe('flat');
		expect(deltaTone(0, 'higher')).toBe('flat');
		expect(deltaTone(null, 'higher')).toBe('flat');
	});
});
