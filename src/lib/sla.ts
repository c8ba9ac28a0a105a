/**
 * SLA clock rules for a single item (domain.md "Service levels"). The SQL metrics layer applies
 * the same rules in bulk and is tested against these functions.
 *
 * Boundaries: an item stopped exactly at its deadline is met; an open item is breached only
 * once `now` is past the deadline, and at risk from 75% of its allowance (start → deadline) on.
 */
import { addWorkdays, dayEnd, shanghaiDay } from './calendar.ts';

const HOUR_MS = 3600_000;

export type SlaState = 'met' | 'breached' | 'open' | 'at_risk';

export type SlaKey =
	| 'first_draft'
	| 'on_time_delivery'
	| 'acceptance'
	| 'dispute_first_response'
	| 'arbitration'
	| 'provider_accountability'
	| 'bill_generation'
	| 'payment';

export interface SlaDef {
	key: SlaKey;
	label: string;
	start: string;
	stop: string;
	/** how the deadline is set: a fixed number of hours, working days, a day of the next month, or none */
	target: { kind: 'none' } | { kind: 'hours'; hours: number } | { kind: 'workdays'; rushHours: number } | { kind: 'day_of_next_month'; day: number };
	/** platform average shown as a reference line, hours */
	benchmarkHours: number | null;
}

export const AT_RISK_SHARE = 0.75;
export const RUSH_HOURS = 24;
export const FIRST_RESPONSE_HOURS = 2;
export const ARBITRATION_HOURS = 48;
export const ACCOUNTABILITY_HOURS = 48;
export const ACCEPTANCE_HOURS = 72;
export const FIRST_DRAFT_BENCHMARK_HOURS = 42.6;
export const ARBITRATION_BENCHMARK_HOURS = 31.2;
export const BILL_GENERATION_DAY = 5;
export const PAYMENT_DUE_DAY = 10;

export const SLA_DEFS: Readonly<Record<SlaKey, SlaDef>> = {
	first_draft: { key: 'first_draft', label: 'First draft', start: 'published_at', stop: 'first_draft_at', target: { kind: 'none' }, benchmarkHours: FIRST_DRAFT_BENCHMARK_HOURS },
	on_time_delivery: {
		key: 'on_time_delivery',
		label: 'On-time delivery',
		start: 'published_at',
		stop: 'delivered_at',
		target: { kind: 'workdays', rushHours: RUSH_HOURS },
		benchmarkHours: null
	},
	// No breach: an undecided order is accepted automatically at delivery + 72 h.
	acceptance: { key: 'acceptance', label: 'Acceptance', start: 'delivered_at', stop: 'accepted_at / dispute opened_at', target: { kind: 'hours', hours: ACCEPTANCE_HOURS }, benchmarkHours: null },
	dispute_first_response: {
		key: 'dispute_first_response',
		label: 'Dispute first response',
		start: 'opened_at',
		stop: 'first_response_at',
		target: { kind: 'hours', hours: FIRST_RESPONSE_HOURS },
		benchmarkHours: null
	},
	arbitration: { key: 'arbitration', label: 'Arbitration', start: 'opened_at', stop: 'resolved_at', target: { kind: 'hours', hours: ARBITRATION_HOURS }, benchmarkHours: ARBITRATION_BENCHMARK_HOURS },
	provider_accountability: {
		key: 'provider_accountability',
		label: 'Provider accountability',
		start: 'delisted_at',
		stop: 'accountability_started_at',
		target: { kind: 'hours', hours: ACCOUNTABILITY_HOURS },
		benchmarkHours: null
	},
	bill_generation: { key: 'bill_generation', label: 'Bill generation', start: 'month end', stop: 'bill generated', target: { kind: 'day_of_next_month', day: BILL_GENERATION_DAY }, benchmarkHours: null },
	payment: { key: 'payment', label: 'Payment', start: 'month end', stop: 'paid in full', target: { kind: 'day_of_next_month', day: PAYMENT_DUE_DAY }, benchmarkHours: null }
};

export interface Deadline {
	deadline: Date;
	/** the working-day count ran past the calendar's data: weekdays only were used there */
	beyondCalendar: boolean;
	/** the first year without calendar data, when beyondCalendar */
	missingYear: number | null;
}

/**
 * On-time delivery deadline: rush → published + 24 h; otherwise 24:00 Asia/Shanghai of the N-th
 * working day after the (Shanghai) publishing day, which itself does not count.
 */
export function onTimeDeadline(publishedAt: Date, deliveryDays: number, rush: boolean): Deadline {
	if (Number.isNaN(publishedAt.getTime())) throw new RangeError('publishedAt is not a valid instant');
	if (rush) return { deadline: new Date(publishedAt.getTime() + RUSH_HOURS * HOUR_MS), beyondCalendar: false, missingYear: null };
	const r = addWorkdays(shanghaiDay(publishedAt), deliveryDays);
	return { deadline: dayEnd(r.day), beyondCalendar: r.beyondCalendar, missingYear: r.missingYear };
}

/** start + a fixed number of hours (first response, arbitration, accountability, acceptance). */
export function hoursDeadline(start: Date, hours: number): Date {
	return new Date(start.getTime() + hours * HOUR_MS);
}

/** 24:00 Asia/Shanghai of day `day` of the month after `month` (YYYY-MM): bills by the 5th, payment by the 10th. */
export function nextMonthDayDeadline(month: string, day: number): Date {
	const m = /^(\d{4})-(\d{2})$/.exec(month);
	if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw new RangeError(`not a month (YYYY-MM): ${month}`);
	const y = Number(m[1]) + (m[2] === '12' ? 1 : 0);
	const next = `${y}-${String((Number(m[2]) % 12) + 1).padStart(2, '0')}`;
	return dayEnd(`${next}-${String(day).padStart(2, '0')}`);
}

/** Hours between two instants (durations are reported in hours). */
export function hoursBetween(a: Date, b: Date): number {
	return (b.getTime() - a.getTime()) / HOUR_MS;
}

export function slaState(start: Date, stop: Date | null, deadline: Date, now: Date): SlaState {
	if (stop !== null) return stop.getTime() <= deadline.getTime() ? 'met' : 'breached';
	if (now.getTime() > deadline.getTime()) return 'breached';
	const allowance = deadline.getTime() - start.getTime();
	return now.getTime() - start.getTime() >= AT_RISK_SHARE * allowance ? 'at_risk' : 'open';
}
