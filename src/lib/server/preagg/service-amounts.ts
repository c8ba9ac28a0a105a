/**
 * Stored service amounts (migration 009): billing/events.sql summed per order and month
 * (service_order_months), per month and seller (service_months) and per month (service_month_totals), so the
 * dashboards' service revenue (billing/amounts.ts serviceAmounts, the bills' rule) reads 12 months
 * as a few hundred thousand pre-summed rows instead of re-deriving every event. An order's events
 * depend only on its own rows (order_facts fees and delivery, its disputes and delistings), so a
 * load refreshes the touched orders, then the (month, seller) sums those orders had or have.
 */
import { createHash } from 'node:crypto';
import type { Db } from '../db/connection.ts';
import { eventParams, sqlWithFees } from '../billing/amounts.ts';
import { preaggSql } from './sql.ts';
import { MIGRATIONS } from '../db/migrations/index.ts';

export const SERVICE_AMOUNTS_KEY = 'service_amounts';
// Every month there can be: events.sql takes a [from, to) range of month starts.
const ALL_MONTHS = ['2000-01', '2199-12'] as const;

const MIGRATION_009 = MIGRATIONS.find((m) => m.version === 9)!.sql;

const orderMonthsSql = (ordersWhere: string): string =>
	preaggSql('service_order_months.sql')
		.replace('{{events}}', () => `(\n${sqlWithFees('events', 'preagg').replace(/;\s*$/, '')}\n)`)
		.replace('{{orders_where}}', () => ordersWhere);

/** What made the stored sums: their SQL (events.sql with order_facts' fees) and the billing constants. */
let version: string | undefined;
export function serviceAmountsVersion(): string {
	return (version ??= createHash('sha256')
		.update([MIGRATION_009, orderMonthsSql('true'), preaggSql('service_amounts.sql'), preaggSql('service_amounts_months.sql'), JSON.stringify(eventParams(...ALL_MONTHS))].join('\0'))
		.digest('hex')
		.slice(0, 16));
}

export async function serviceAmountsCurrent(db: Db): Promise<boolean> {
	const r = await db.one<{ value: string }>(`SELECT value FROM preagg_state WHERE key = '${SERVICE_AMOUNTS_KEY}'`);
	return r?.value === serviceAmountsVersion();
}

// BIGINT (fen sums far below 2⁶³); a HUGEINT column scans ~30× slower.
const MONTH_SUMS = ['image_fees', 'language_fees', 'refunds', 'credits', 'compensation', 'order_count', 'image_count'].map((c) => `sum(${c})::BIGINT AS ${c}`).join(', ');

/** Everything from order_facts and the raw disputes/delistings (inside a transaction). */
export async function rebuildServiceAmounts(tx: Db): Promise<void> {
	// Derived data: made afresh with migration 009's definitions (CREATE … IF NOT EXISTS), which are
	// part of the version, so a database made with an earlier definition gets the current one.
	await tx.run('DROP TABLE IF EXISTS service_order_months');
	await tx.run('DROP TABLE IF EXISTS service_months');
	await tx.run('DROP TABLE IF EXISTS service_month_totals');
	await tx.run(MIGRATION_009);
	await tx.run(`INSERT INTO service_order_months BY NAME ${orderMonthsSql('true')} ORDER BY month, seller_id`, eventParams(...ALL_MONTHS));
	await tx.run(`INSERT INTO service_months BY NAME SELECT month, seller_id, ${MONTH_SUMS} FROM service_order_months GROUP BY month, seller_id ORDER BY month, seller_id`);
	await tx.run(`INSERT INTO service_month_totals BY NAME SELECT month, ${MONTH_SUMS} FROM service_months GROUP BY month ORDER BY month`);
	await tx.run(`INSERT OR REPLACE INTO preagg_state VALUES ('${SERVICE_AMOUNTS_KEY}', $v)`, { v: serviceAmountsVersion() });
}

/**
 * The orders in `touched` (a table with order_id; their order_facts already refreshed): their
 * per-month rows, then the (month, seller) sums of the keys they had before and have now.
 */
export async function refreshServiceAmounts(tx: Db, touched: string): Promise<void> {
	const mine = `order_id IN (SELECT order_id FROM ${touched})`;
	await tx.run(`CREATE OR REPLACE TEMP TABLE _service_keys AS SELECT DISTINCT month, seller_id FROM service_order_months WHERE ${mine}`);
	try {
		await tx.run(`DELETE FROM service_order_months WHERE ${mine}`);
		await tx.run(`INSERT INTO service_order_months BY NAME ${orderMonthsSql(mine)}`, eventParams(...ALL_MONTHS));
		await tx.run(`INSERT INTO _service_keys SELECT DISTINCT month, seller_id FROM service_order_months WHERE ${mine}`);
		await tx.run('DELETE FROM service_months s USING _service_keys k WHERE s.month = k.month AND s.seller_id = k.seller_id');
		await tx.run(
			`INSERT INTO service_months BY NAME SELECT s.month, s.seller_id, ${MONTH_SUMS}
			 FROM service_order_months s SEMI JOIN (SELECT DISTINCT month, seller_id FROM _service_keys) k ON s.month = k.month AND s.seller_id = k.seller_id
			 GROUP BY s.month, s.seller_id`
		);
		await tx.run('DELETE FROM service_month_totals WHERE month IN (SELECT month FROM _service_keys)');
		await tx.run(`INSERT INTO service_month_totals BY NAME SELECT month, ${MONTH_SUMS} FROM service_months WHERE month IN (SELECT month FROM _service_keys) GROUP BY month`);
	} finally {
		await tx.run('DROP TABLE IF EXISTS _service_keys');
	}
}
