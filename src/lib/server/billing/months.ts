/** Shanghai calendar months as 'YYYY-MM' strings. */
export const MONTH_RE = /^\d{4}-(0[1-9]|1[0-2])$/;

export function assertMonth(m: string): string {
	if (!MONTH_RE.test(m)) throw new RangeError(`not a month (YYYY-MM): ${m}`);
	return m;
}

export function addMonths(m: string, n: number): string {
	const [y, mo] = assertMonth(m).split('-').map(Number);
	const idx = y * 12 + (mo - 1) + n;
	return `${Math.floor(idx / 12)}-${String((idx % 12) + 1).padStart(2, '0')}`;
}

/** '2026-03' → '2026-03-01 00:00:00' (read as Asia/Shanghai by every connection). */
export function monthStart(m: string): string {
	return `${assertMonth(m)}-01 00:00:00`;
}

export function lastDay(m: string): string {
	const [y, mo] = assertMonth(m).split('-').map(Number);
	const d = new Date(Date.UTC(y, mo, 0)).getUTCDate();
	return `${m}-${String(d).padStart(2, '0')}`;
}

/** Bills for M are due on the 10th of M+1. */
export function dueDate(m: string): string {
	return `${addMonths(m, 1)}-10`;
}

export function monthsBetween(from: string, to: string): string[] {
	const out: string[] = [];
	for (let m = from; m <= to; m = addMonths(m, 1)) out.push(m);
	return out;
}

/** The Shanghai month of an instant. */
export function shanghaiMonthOf(d: Date): string {
	return new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 7);
}
