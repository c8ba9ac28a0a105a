/**
 * "Today" for rules that depend on it (open / at-risk SLA items, auto-acceptance, closed CTR
 * windows). Always an Asia/Shanghai day. TODAY=YYYY-MM-DD pins it (browser tests, demos of old data).
 */
import { shanghaiDay } from '../calendar.ts';

export function today(): string {
	const pinned = process.env.TODAY;
	if (pinned && /^\d{4}-\d{2}-\d{2}$/.test(pinned)) return pinned;
	return shanghaiDay(new Date());
}

/** The current instant, consistent with today(): with TODAY pinned, noon Shanghai of that day. */
export function now(): Date {
	const pinned = process.env.TODAY;
	if (pinned && /^\d{4}-\d{2}-\d{2}$/.test(pinned)) return new Date(`${pinned}T12:00:00+08:00`);
	return new Date();
}
