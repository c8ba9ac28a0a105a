/**
 * The billing schedule inside the running server (domain spec, "Monthly billing"): from the 1st,
 * month M−1 is issued as soon as CTR rows for its last day are in; retried daily (checked hourly
 * here); on the 5th it issues regardless, naming the missing inputs in run.json. Only months from
 * the first billing month on; a server that was down catches up (every unissued month from the
 * first billing month to M−1, in order); the ledger's unique month key means never twice.
 */
import type { Db } from '../db/connection.ts';
import { addMonths, lastDay, shanghaiMonthOf } from './months.ts';
import { billingBusy } from './lock.ts';
import { firstBillingMonth, issuedMonths, runBilling, type BillingDeps } from './run.ts';

export interface ScheduleOptions {
	outDir: string;
	deps: BillingDeps;
	/** How often to look (default hourly). */
	intervalMs?: number;
	now?: () => Date;
	log?: (line: string) => void;
}

export interface ScheduleDecision {
	month: string | null;
	reason: string;
}

/** Pure: which month (if any) to issue now. */
export function decideScheduledMonth(o: { now: Date; first: string; issued: string[]; ctrHasLastDay: boolean }): ScheduleDecision {
	const shanghai = new Date(o.now.getTime() + 8 * 3600_000);
	const thisMonth = shanghaiMonthOf(o.now);
	const day = shanghai.getUTCDate();
	const target = addMonths(thisMonth, -1);
	if (target < o.first) return { month: null, reason: `${target} is before the first billing month ${o.first}` };
	const latest = o.issued.at(-1);
	// Catch-up: an older unissued month (server down for weeks) is issued by the cascade when target is.
	if (o.issued.includes(target)) return { month: null, reason: `${target} is issued` };
	if (latest && latest > target) return { month: null, reason: `a later month ${latest} is issued` };
	if (o.ctrHasLastDay) return { month: target, reason: `CTR for ${lastDay(target)} is in` };
	if (day >= 5) return { month: target, reason: `the 5th: issuing ${target} without CTR for ${lastDay(target)}` };
	return { month: null, reason: `waiting for CTR of ${lastDay(target)} (issues on the 5th regardless)` };
}

export async function scheduleTick(db: Db, opts: ScheduleOptions): Promise<ScheduleDecision> {
	const now = opts.now?.() ?? new Date();
	const target = addMonths(shanghaiMonthOf(now), -1);
	const ctr = await db.one<{ n: number }>('SELECT count(*)::BIGINT AS n FROM ctr_daily WHERE date = $d::DATE', { d: lastDay(target) });
	const decision = decideScheduledMonth({
		now,
		first: await firstBillingMonth(db, opts.deps.config.first_billing_month),
		issued: await issuedMonths(db),
		ctrHasLastDay: (ctr?.n ?? 0) > 0
	});
	if (decision.month && !billingBusy()) {
		const r = await runBilling(db, { month: decision.month, outDir: opts.outDir, actor: 'schedule', deps: opts.deps });
		opts.log?.(`billing schedule: ${decision.reason}; ${r.messages.join(' ')}`);
	}
	return decision;
}

let timer: NodeJS.Timeout | undefined;

/** Starts the hourly check (idempotent: a second call does nothing). Returns a stop function. */
export function startBillingSchedule(getDb: () => Promise<Db>, opts: ScheduleOptions): () => void {
	if (timer) return () => undefined;
	const log = opts.log ?? ((l: string) => console.log(l));
	const tick = () =>
		getDb()
			.then((db) => scheduleTick(db, { ...opts, log }))
			.catch((e: Error) => log(`billing schedule: ${e.message}`));
	setTimeout(tick, 5_000).unref();
	timer = setInterval(tick, opts.intervalMs ?? 3600_000);
	timer.unref();
	return () => {
		clearInterval(timer);
		timer = undefined;
	};
}
