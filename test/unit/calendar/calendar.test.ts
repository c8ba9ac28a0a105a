/**
 * src/lib/calendar.ts against the State Council notices, transcribed here by hand:
 *   2024 国办发明电〔2023〕7号, 2025 国办发明电〔2024〕12号, 2026 the notice of 2025-11-04.
 * Every day of the three years is checked: a holiday range → off, an adjusted working day (调休)
 * → on, anything else → Monday to Friday.
 */
import { describe, expect, it } from 'vitest';
import {
	CalendarRangeError,
	addDays,
	addWorkdays,
	dayEnd,
	dayStart,
	isWorkday,
	shanghaiDay,
	shanghaiMonth
} from '../../../src/lib/calendar.ts';

interface YearNotice {
	holidays: Array<[from: string, to: string, name: string]>;
	workdays: string[];
}

const NOTICES: Record<number, YearNotice> = {
	2024: {
		holidays: [
			['2024-01-01', '2024-01-01', '元旦'], // with the weekend 2023-12-30/31
			['2024-02-10', '2024-02-17', '春节'],
			['2024-04-04', '2024-04-06', '清明节'],
			['2024-05-01', '2024-05-05', '劳动节'],
			['2024-06-08', '2024-06-10', '端午节'], // 6-10 off "与周末连休"
			['2024-09-15', '2024-09-17', '中秋节'],
			['2024-10-01', '2024-10-07', '国庆节']
		],
		workdays: ['2024-02-04', '2024-02-18', '2024-04-07', '2024-04-28', '2024-05-11', '2024-09-14', '2024-09-29', '2024-10-12']
	},
	2025: {
		holidays: [
			['2025-01-01', '2025-01-01', '元旦'],
			['2025-01-28', '2025-02-04', '春节'],
			['2025-04-04', '2025-04-06', '清明节'],
			['2025-05-01', '2025-05-05', '劳动节'],
			['2025-05-31', '2025-06-02', '端午节'],
			['2025-10-01', '2025-10-08', '国庆节、中秋节']
		],
		workdays: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11']
	},
	2026: {
		holidays: [
			['2026-01-01', '2026-01-03', '元旦'],
			['2026-02-15', '2026-02-23', '春节'],
			['2026-04-04', '2026-04-06', '清明节'],
			['2026-05-01', '2026-05-05', '劳动节'],
			['2026-06-19', '2026-06-21', '端午节'],
			['2026-09-25', '2026-09-27', '中秋节'],
			['2026-10-01', '2026-10-07', '国庆节']
		],
		workdays: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']
	}
};

function daysOf(from: string, to: string): string[] {
	const out: string[] = [];
	for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
	return out;
}

function weekday(day: string): boolean {
	const w = new Date(`${day}T00:00:00Z`).getUTCDay();
	return w !== 0 && w !== 6;
}

describe('calendar against the State Council notices', () => {
	for (const [year, notice] of Object.entries(NOTICES)) {
		const off = new Set(notice.holidays.flatMap(([a, b]) => daysOf(a, b)));
		const on = new Set(notice.workdays);

		it(`${year}: every holiday day is off`, () => {
			const wrong = [...off].filter((d) => isWorkday(d));
			expect(wrong).toEqual([]);
		});

		it(`${year}: every adjusted working day (调休) is a weekend day and on`, () => {
			for (const d of on) {
				expect(weekday(d), `${d} should be a weekend day`).toBe(false);
				expect(isWorkday(d), d).toBe(true);
			}
		});

		it(`${year}: every other day follows Monday–Friday`, () => {
			const wrong = daysOf(`${year}-01-01`, `${year}-12-31`)
				.filter((d) => !off.has(d) && !on.has(d))
				.filter((d) => isWorkday(d) !== weekday(d));
			expect(wrong).toEqual([]);
		});
	}

	it('2026 has 248 working days, counted by hand from the notice', () => {
		// weekdays of 2026: 261; holiday weekdays: 1-1,1-2 (2), 2-16..2-20, 2-23 (6), 4-6 (1), 5-1, 5-4, 5-5 (3),
		// 6-19 (1), 9-25 (1), 10-1, 10-2, 10-5, 10-6, 10-7 (5) = 19; 调休 +6 → 261 − 19 + 6 = 248
		const n = daysOf('2026-01-01', '2026-12-31').filter((d) => isWorkday(d)).length;
		expect(n).toBe(248);
	});
});

describe('addWorkdays', () => {
	it('crosses 春节 2026: Fri 02-13 + 3 → 02-25 (Sat 02-14 works, 02-15…02-23 off)', () => {
		expect(addWorkdays('2026-02-13', 3)).toEqual({ day: '2026-02-25', beyondCalendar: false, missingYear: null });
		expect(addWorkdays('2026-02-13', 1).day).toBe('2026-02-14');
		expect(addWorkdays('2026-02-13', 2).day).toBe('2026-02-24');
	});

	it('counts the 调休 Saturday 2026-02-28 and skips 国庆 2025 (10-01…10-08, 10-11 works)', () => {
		expect(addWorkdays('2026-02-26', 2).day).toBe('2026-02-28');
		expect(addWorkdays('2025-09-30', 1).day).toBe('2025-10-09');
		expect(addWorkdays('2025-09-30', 3).day).toBe('2025-10-11');
	});

	it('the starting day itself does not count, even when it is a working day', () => {
		expect(addWorkdays('2026-03-02', 3).day).toBe('2026-03-05'); // Mon → Thu
		expect(addWorkdays('2026-03-06', 3).day).toBe('2026-03-11'); // Fri → Wed
	});

	it('past 2026 flags beyondCalendar with the missing year 2027, counting weekdays there', () => {
		const r = addWorkdays('2026-12-29', 5);
		// 12-30, 12-31 in the calendar; then 2027-01-01 (Fri, weekday-only guess), 01-04, 01-05
		expect(r).toEqual({ day: '2027-01-05', beyondCalendar: true, missingYear: 2027 });
		expect(addWorkdays('2026-12-28', 3)).toEqual({ day: '2026-12-31', beyondCalendar: false, missingYear: null });
	});

	it('a day in 2027 throws CalendarRangeError naming 2027', () => {
		expect(() => isWorkday('2027-03-01')).toThrow(CalendarRangeError);
		expect(() => isWorkday('2027-03-01')).toThrow(/2027/);
		try {
			isWorkday('2027-03-01');
		} catch (e) {
			expect((e as CalendarRangeError).year).toBe(2027);
		}
	});
});

describe('Asia/Shanghai days', () => {
	it('00:30 +08:00 on 03-01 is 03-01 in Shanghai although it is still 02-28 in UTC', () => {
		const t = new Date('2026-03-01T00:30:00+08:00');
		expect(t.toISOString().slice(0, 10)).toBe('2026-02-28');
		expect(shanghaiDay(t)).toBe('2026-03-01');
		expect(shanghaiMonth(t)).toBe('2026-03');
	});

	it('a day runs from 00:00 to 24:00 +08:00', () => {
		expect(dayStart('2026-03-01').toISOString()).toBe('2026-02-28T16:00:00.000Z');
		expect(dayEnd('2026-03-01').toISOString()).toBe('2026-03-01T16:00:00.000Z');
		expect(shanghaiDay(new Date(dayEnd('2026-03-01').getTime() - 1))).toBe('2026-03-01');
	});
});
