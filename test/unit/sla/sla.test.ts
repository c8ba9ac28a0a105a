import { describe, expect, it } from 'vitest';
import { SLA_DEFS, hoursBetween, hoursDeadline, nextMonthDayDeadline, onTimeDeadline, slaState } from '../../../src/lib/sla.ts';

const at = (s: string) => new Date(s);
const iso = (d: Date) => d.toISOString();
/** 24:00 Asia/Shanghai of a day, as an ISO instant (= 16:00Z that day). */
const endOf = (day: string) => `${day}T16:00:00.000Z`;

describe('onTimeDeadline', () => {
	it('across 春节 2026: published Fri 02-13, 3 working days → 24:00 on 02-25 (Sat 02-14 works)', () => {
		const r = onTimeDeadline(at('2026-02-13T10:00:00+08:00'), 3, false);
		expect(iso(r.deadline)).toBe(endOf('2026-02-25'));
		expect(r).toMatchObject({ beyondCalendar: false, missingYear: null });
	});

	it('the 调休 Saturday 2026-02-28 counts: published Thu 02-26, 3 days → Mon 03-02', () => {
		expect(iso(onTimeDeadline(at('2026-02-26T09:00:00+08:00'), 3, false).deadline)).toBe(endOf('2026-03-02'));
	});

	it('国庆 2025 (10-01…10-08 off, Sat 10-11 works): published Tue 09-30, 3 days → 10-11', () => {
		expect(iso(onTimeDeadline(at('2025-09-30T18:00:00+08:00'), 3, false).deadline)).toBe(endOf('2025-10-11'));
	});

	it('an ordinary weekend is skipped: published Fri 2026-03-06, 5 days → Fri 03-13', () => {
		expect(iso(onTimeDeadline(at('2026-03-06T12:00:00+08:00'), 5, false).deadline)).toBe(endOf('2026-03-13'));
	});

	it('the publishing day is the Shanghai day: 2026-03-01 00:30 +08:00 is Sunday the 1st, not Saturday 02-28', () => {
		const p = at('2026-03-01T00:30:00+08:00'); // 2026-02-28T16:30Z
		expect(iso(onTimeDeadline(p, 3, false).deadline)).toBe(endOf('2026-03-04')); // Mon 2, Tue 3, Wed 4
		// Mon 2026-03-02 00:30 +08:00 is still Sunday 03-01 in UTC: counting from the UTC day would
		// give 03-04; from the Shanghai day (Monday, not counted) it is Tue, Wed, Thu → 03-05
		expect(iso(onTimeDeadline(at('2026-03-02T00:30:00+08:00'), 3, false).deadline)).toBe(endOf('2026-03-05'));
		// Fri 02-27 23:59 → the 调休 Saturday 02-28, Mon 03-02, Tue 03-03
		expect(iso(onTimeDeadline(at('2026-02-27T23:59:00+08:00'), 3, false).deadline)).toBe(endOf('2026-03-03'));
	});

	it('rush: 24 hours after publishing, calendar irrelevant', () => {
		const r = onTimeDeadline(at('2026-02-14T20:15:00+08:00'), 3, true);
		expect(iso(r.deadline)).toBe('2026-02-15T12:15:00.000Z');
		expect(r.beyondCalendar).toBe(false);
	});

	it('past the calendar: flagged with the missing year, weekdays only', () => {
		const r = onTimeDeadline(at('2026-12-30T10:00:00+08:00'), 3, false);
		// 12-31 (calendar), then 2027-01-01 and 01-04 on weekdays alone
		expect(r).toMatchObject({ beyondCalendar: true, missingYear: 2027 });
		expect(iso(r.deadline)).toBe(endOf('2027-01-04'));
	});

	it('rejects bad input', () => {
		expect(() => onTimeDeadline(new Date('x'), 3, false)).toThrow(RangeError);
		expect(() => onTimeDeadline(at('2026-03-02T10:00:00+08:00'), 2.5, false)).toThrow(RangeError);
	});
});

describe('slaState', () => {
	const start = at('2026-03-02T08:00:00+08:00');
	const deadline = hoursDeadline(start, 48); // allowance 48 h, at risk from 36 h

	it('stopped: met up to and including the deadline, breached after', () => {
		expect(slaState(start, deadline, deadline, at('2026-04-01T00:00:00Z'))).toBe('met');
		expect(slaState(start, new Date(deadline.getTime() + 1), deadline, deadline)).toBe('breached');
	});

	it('open: open before 75%, at risk from 75%, breached past the deadline', () => {
		expect(slaState(start, null, deadline, hoursDeadline(start, 35.99))).toBe('open');
		expect(slaState(start, null, deadline, hoursDeadline(start, 36))).toBe('at_risk');
		expect(slaState(start, null, deadline, deadline)).toBe('at_risk');
		expect(slaState(start, null, deadline, new Date(deadline.getTime() + 1))).toBe('breached');
	});

	it('at risk counts hours from start to deadline, not working days', () => {
		const published = at('2026-02-13T12:00:00+08:00');
		const { deadline: d } = onTimeDeadline(published, 3, false); // 2026-02-26 00:00 +08:00: 300 h
		expect(hoursBetween(published, d)).toBe(300);
		expect(slaState(published, null, d, hoursDeadline(published, 224.9))).toBe('open');
		expect(slaState(published, null, d, hoursDeadline(published, 225))).toBe('at_risk');
	});
});

describe('SLA definitions', () => {
	it('carry the spec table’s targets and benchmarks', () => {
		expect(SLA_DEFS.dispute_first_response.target).toEqual({ kind: 'hours', hours: 2 });
		expect(SLA_DEFS.arbitration).toMatchObject({ target: { kind: 'hours', hours: 48 }, benchmarkHours: 31.2 });
		expect(SLA_DEFS.provider_accountability.target).toEqual({ kind: 'hours', hours: 48 });
		expect(SLA_DEFS.acceptance.target).toEqual({ kind: 'hours', hours: 72 });
		expect(SLA_DEFS.first_draft).toMatchObject({ target: { kind: 'none' }, benchmarkHours: 42.6 });
		expect(SLA_DEFS.on_time_delivery.target).toEqual({ kind: 'workdays', rushHours: 24 });
		expect(SLA_DEFS.bill_generation.target).toEqual({ kind: 'day_of_next_month', day: 5 });
		expect(SLA_DEFS.payment.target).toEqual({ kind: 'day_of_next_month', day: 10 });
		for (const [k, v] of Object.entries(SLA_DEFS)) expect(v.key).toBe(k);
	});

	it('bill and payment deadlines are 24:00 Shanghai of the 5th / 10th of the next month', () => {
		expect(iso(nextMonthDayDeadline('2026-03', 5))).toBe(endOf('2026-04-05'));
		expect(iso(nextMonthDayDeadline('2026-12', 10))).toBe(endOf('2027-01-10'));
		expect(() => nextMonthDayDeadline('2026-13', 5)).toThrow(RangeError);
	});
});
