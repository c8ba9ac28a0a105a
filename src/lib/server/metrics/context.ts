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
	// The real now is taken to the minute so that repeated requests share cache entries (engine.ts);
	// open / at-risk states move at most a minute late.
	if (!now) now = today === shanghaiDay(real) ? new Date(Math.floor(real.getTime() / 60_000) * 60_000) : dayEnd(today);
	return { today, now, approx: opts.approx };
}
