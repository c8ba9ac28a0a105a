/**
 * incentive_decisions (migration 009): per live order, the decision THE incentive rule makes on its
 * pre-aggregated inputs with the window taken as closed (incentives.ts decisionOf → decideIncentiveFromSums).
 * A cache of that function's output, so reading a closed order's decision costs no statistics: once
 * the window has closed, nothing about the decision depends on today. Rebuilt for the orders whose
 * order_facts / order_windows rows a load refreshed, in the load's transaction; all of it when the
 * rule's version (INCENTIVE_RULE_VERSION) or the pre-aggregates' definitions change.
 */
import type { Db } from '../db/connection.ts';
import { INCENTIVE_RULE_VERSION } from '../../incentive.ts';
import { decisionOf, rowChunks, type SelRow } from '../metrics/incentives.ts';
import { sqlFile } from '../metrics/sql.ts';
import { MIGRATIONS } from '../db/migrations/index.ts';

export const INCENTIVE_RULE_KEY = 'incentive_rule';
/** What preagg_state 'incentive_rule' holds when the stored decisions are current: the rule's version and the tables'. */
export const INCENTIVE_STORE_VERSION = `${INCENTIVE_RULE_VERSION}.2`;
const MIGRATION_009 = MIGRATIONS.find((m) => m.version === 9)!.sql;
const CHUNK = 50_000;

/** Whether the stored decisions were made by the current rule. */
export async function incentiveDecisionsCurrent(db: Db): Promise<boolean> {
	const r = await db.one<{ value: string }>(`SELECT value FROM preagg_state WHERE key = '${INCENTIVE_RULE_KEY}'`);
	return r?.value === INCENTIVE_STORE_VERSION;
}

/**
 * Decides again the live orders matching `ordersWhere` (SQL over order_id, our own text; 'true' =
 * all) from order_facts + order_windows, replacing their rows. Run inside a transaction (tx is one
 * connection: the temp table lives across the chunks).
 */
export async function refreshIncentiveDecisions(tx: Db, ordersWhere: string): Promise<number> {
	// the close days whose totals change: those the orders had and have
	await tx.run(`CREATE OR REPLACE TEMP TABLE _incentive_days AS SELECT DISTINCT close_day FROM incentive_decisions WHERE ${ordersWhere}`);
	await tx.run(`DELETE FROM incentive_decisions WHERE ${ordersWhere}`);
	const inputs = sqlFile('incentive_sums_pre.sql')
		.replace('{{where}}', () => `o.f_live_day IS NOT NULL AND o.${ordersWhere === 'true' ? 'order_id IS NOT NULL' : ordersWhere}`)
		.replace(/;\s*$/, '');
	let n = 0;
	try {
		// sorted by close day (readers select closing months: the scan skips other row groups)
		for await (const rows of rowChunks<SelRow>(tx, '_incentive_build', inputs, 'live_day, order_id', {}, CHUNK)) {
			await appendDecisions(tx, rows);
			n += rows.length;
		}
		await tx.run(`INSERT INTO _incentive_days SELECT DISTINCT close_day FROM incentive_decisions WHERE ${ordersWhere}`);
		const days = 'close_day IN (SELECT close_day FROM _incentive_days)';
		await tx.run(`DELETE FROM incentive_day_totals WHERE ${days}`);
		await tx.run(`INSERT INTO incentive_day_totals SELECT close_day, sum(amount_fen)::BIGINT FROM incentive_decisions WHERE ${days} GROUP BY close_day`);
		return n;
	} finally {
		await tx.run('DROP TABLE IF EXISTS _incentive_days');
	}
}

/** All of them (start-up after a rule change, full pre-aggregate rebuild); records the rule version. */
export async function rebuildIncentiveDecisions(tx: Db): Promise<number> {
	// derived data, made afresh with migration 009's definitions (a database may hold an older draft)
	await tx.run('DROP TABLE IF EXISTS incentive_decisions');
	await tx.run('DROP TABLE IF EXISTS incentive_day_totals');
	await tx.run(MIGRATION_009);
	const n = await refreshIncentiveDecisions(tx, 'true');
	await tx.run(`INSERT OR REPLACE INTO preagg_state VALUES ('${INCENTIVE_RULE_KEY}', $v)`, { v: INCENTIVE_STORE_VERSION });
	return n;
}

const str = (a: { appendVarchar(v: string): void; appendNull(): void }, v: string | null) => (v === null ? a.appendNull() : a.appendVarchar(v));
const dbl = (a: { appendDouble(v: number): void; appendNull(): void }, v: number | null) => (v === null ? a.appendNull() : a.appendDouble(v));

async function appendDecisions(tx: Db, rows: SelRow[]): Promise<void> {
	await tx.withConnection(async (c) => {
		const a = await c.createAppender('incentive_decisions');
		for (const o of rows) {
			const d = decisionOf(o, true);
			a.appendVarchar(o.order_id);
			a.appendVarchar(o.seller_id);
			str(a, d.closeDay);
			a.appendBoolean(d.qualifies);
			a.appendVarchar(d.reason);
			str(a, d.liveDay);
			str(a, d.baselineFrom);
			str(a, d.baselineTo);
			str(a, d.resultFrom);
			str(a, d.resultTo);
			str(a, d.closeMonth);
			a.appendBigInt(BigInt(d.baseline.impressions));
			a.appendBigInt(BigInt(d.baseline.clicks));
			dbl(a, d.baseline.ctr);
			a.appendBigInt(BigInt(d.result.impressions));
			a.appendBigInt(BigInt(d.result.clicks));
			dbl(a, d.result.ctr);
			dbl(a, d.lift);
			dbl(a, d.lower95);
			dbl(a, d.se);
			dbl(a, d.df);
			a.appendInteger(d.tierRate);
			a.appendBigInt(BigInt(d.imageFeeFen));
			a.appendBigInt(BigInt(d.amountFen));
			a.appendVarchar(d.explanation.join('\n'));
			a.endRow();
		}
		a.flushSync();
		a.closeSync();
	});
}
