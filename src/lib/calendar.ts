/**
 * Asia/Shanghai days and mainland China's working-day calendar.
 *
 * The calendar data (holidays and the adjusted working weekend days, 调休) comes from the
 * `chinese-days` package, checked against the State Council notices for 2024–2026 in
 * test/unit/calendar/calendar.test.ts. A day outside the data's years is never guessed silently:
 * `isWorkday` throws CalendarRangeError naming the year; `addWorkdays` falls back to weekdays
 * only and says so (`beyondCalendar`), so callers can flag the figure and list a data finding.
 */
import cd from 'chinese-days/dist/chinese-days.json' with { type: 'json' };

const SHANGHAI_OFFSET_MS = 8 * 3600_000; // China has no DST since 1991

const holidays: Record<string, string> = (cd as { holidays: Record<string, string> }).holidays;
const adjustedWorkdays: Record<string, string> = (cd as { workdays: Record<string, string> }).workdays;

const years = Object.keys(holidays).map((d) => Number(d.slice(0, 4)));
export const CALENDAR_FIRST_YEAR = Math.min(...years);
export const CALENDAR_LAST_YEAR = Math.max(...years);

export class CalendarRangeError extends Error {
	constructor(public readonly year: number) {
		super(`China's working-day calendar has no data for ${year} (known: ${CALENDAR_FIRST_YEAR}–${CALENDAR_LAST_YEAR})`);
		this.name = 'CalendarRangeError';
	}
}

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

/** The Asia/Shanghai calendar day of an instant, as YYYY-MM-DD. */
export function shanghaiDay(instant: Date): string {
	return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The Asia/Shanghai calendar month of an instant, as YYYY-MM. */
export function shanghaiMonth(instant: Date): string {
	return shanghaiDay(instant).slice(0, 7);
}

/** The instant a Shanghai day starts (00:00 +08:00). */
export function dayStart(day: string): Date {
	assertDay(day);
	return new Date(Date.parse(`${day}T00:00:00+08:00`));
}

/** The instant a Shanghai day ends: 24:00 +08:00, i.e. the next day's start. */
export function dayEnd(day: string): Date {
	return dayStart(addDays(day, 1));
}

// Incentive decisions call addDays a few times per order (hundreds of thousands of orders in a
// month at scale 100) over a few hundred distinct days: two Date parses a call were ~15% of it.
const addDaysMemo = new Map<string, string>();

export function addDays(day: string, n: number): string {
	const key = `${day}|${n}`;
	const hit = addDaysMemo.get(key);
	if (hit !== undefined) return hit;
	assertDay(day);
	const t = Date.parse(`${day}T00:00:00Z`) + n * 86400_000;
	const out = new Date(t).toISOString().slice(0, 10);
	if (addDaysMemo.size >= 100_000) addDaysMemo.clear();
	addDaysMemo.set(key, out);
	return out;
}

/** Whole days from a to b (b − a). */
export function daysBetween(a: string, b: string): number {
	return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86400_000);
}

export function isWeekend(day: string): boolean {
	const w = new Date(`${day}T00:00:00Z`).getUTCDay();
	return w === 0 || w === 6;
}

export function inCalendar(day: string): boolean {
	const y = Number(day.slice(0, 4));
	return y >= CALENDAR_FIRST_YEAR && y <= CALENDAR_LAST_YEAR;
}

/** True on a working day of mainland China's official calendar; throws outside the data's years. */
export function isWorkday(day: string): boolean {
	assertDay(day);
	if (!inCalendar(day)) throw new CalendarRangeError(Number(day.slice(0, 4)));
	if (adjustedWorkdays[day]) return true;
	if (holidays[day]) return false;
	return !isWeekend(day);
}

/** Holiday or adjusted-workday name for a day ('春节', …) or null. */
export function holidayName(day: string): string | null {
	const raw = holidays[day] ?? adjustedWorkdays[day];
	if (!raw) return null;
	const parts = raw.split(',');
	return parts[1] ?? parts[0];
}

export interface WorkdayResult {
	day: string;
	/** True when the count ran past the calendar's last year and weekdays alone were used there. */
	beyondCalendar: boolean;
	/** The first year without calendar data that the count touched, when beyondCalendar. */
	missingYear: number | null;
}

/**
 * The n-th working day after `day` (day itself does not count). Past the calendar's last year,
 * weekends alone are skipped and the result says so.
 */
export function addWorkdays(day: string, n: number): WorkdayResult {
	assertDay(day);
	if (!Number.isInteger(n) || n < 0) throw new RangeError(`working days must be a whole number ≥ 0, got ${n}`);
	let d = day;
	let left = n;
	let missingYear: number | null = null;
	while (left > 0) {
		d = addDays(d, 1);
		let work: boolean;
		if (inCalendar(d)) work = isWorkday(d);
		else {
			missingYear ??= Number(d.slice(0, 4));
			work = !isWeekend(d);
		}
		if (work) left--;
	}
	return { day: d, beyondCalendar: missingYear !== null, missingYear };
}

export interface CalendarRow {
	day: string;
	is_workday: boolean;
	workday_seq: number;
	holiday_name: string | null;
}

/** Every day of the calendar's years (for the calendar_days table, which SQL uses for deadlines). */
export function calendarRows(fromYear = CALENDAR_FIRST_YEAR, toYear = CALENDAR_LAST_YEAR): CalendarRow[] {
	const rows: CalendarRow[] = [];
	let seq = 0;
	for (let d = `${fromYear}-01-01`; Number(d.slice(0, 4)) <= toYear; d = addDays(d, 1)) {
		const w = isWorkday(d);
		if (w) seq++;
		rows.push({ day: d, is_workday: w, workday_seq: seq, holiday_name: holidayName(d) });
	}
	return rows;
}

function assertDay(day: string) {
	if (!DAY_RE.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) throw new RangeError(`not a day (YYYY-MM-DD): ${day}`);
}
