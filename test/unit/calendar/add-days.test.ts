import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../../src/lib/calendar.ts';

describe('addDays', () => {
	const day = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));

	it('is plain calendar arithmetic, the same on a repeated (memoised) call', () => {
		fc.assert(
			fc.property(day, fc.integer({ min: -400, max: 400 }), (d, n) => {
				const want = new Date(Date.parse(`${d}T00:00:00Z`) + n * 86400_000).toISOString().slice(0, 10);
				expect(addDays(d, n)).toBe(want);
				expect(addDays(d, n)).toBe(want);
			})
		);
	});

	it('crosses month, leap-day and year ends', () => {
		expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
		expect(addDays('2024-02-29', 1)).toBe('2024-03-01');
		expect(addDays('2025-12-31', 1)).toBe('2026-01-01');
		expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
	});

	it('still rejects a malformed day, also after valid ones were memoised', () => {
		addDays('2026-03-01', 1);
		expect(() => addDays('2026-3-01', 1)).toThrow(/not a day/);
		expect(() => addDays('2026-02-30x', 0)).toThrow(/not a day/);
	});
});
