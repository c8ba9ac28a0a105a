import { dayEnd, shanghaiDay } from '../../calendar.ts';
import type { CompileContext } from './compile.ts';

export interface RunOptions {
	/** Shanghai day the today-dependent rules use (default: now). */
	today?: string;
	/** The instant of "now"; default: the real now on the real today, else the end of `today` (all of that day has happened). */
	now?: Date;
	/** Approximate quantiles (labelled approx on the result). */
	approx?: boolean;
}

export function contextFrom(opts: RunOptions = {}): CompileContext {
	const real = new Date();
	const today = opts.today ?? shanghaiDay(opts.now ?? real);
	let now = opts.now;
	if (!now) now = today === shanghaiDay(real) ? real : dayEnd(today);
	return { today, now, approx: opts.approx };
}
