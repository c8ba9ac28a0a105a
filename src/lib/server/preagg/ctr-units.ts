/**
 * ctr_units (migration 008): one row per live order holding what the CTR page reads — the
 * order's dimensions (order_facts) and its window sums (order_windows) — so CTR requests scan one
 * table instead of joining the two on a text key. Made from those two tables, so it is rebuilt or
 * refreshed right after order_windows (preagg/index.ts), inside the same transaction.
 * ctr_cube (same migration) sums ctr_units per live day and the coarse dimensions; it is kept with
 * ctr_units here, by whole live days.
 */
import type { Db } from '../db/connection.ts';
import { preaggSql } from './sql.ts';

const cube = (daysWhere: string) => `INSERT INTO ctr_cube BY NAME ${preaggSql('ctr_cube.sql').replaceAll('{{days_where}}', () => daysWhere)}`;
const build = (ordersWhere: string) => `INSERT INTO ctr_units BY NAME ${preaggSql('ctr_units.sql').replaceAll('{{orders_where}}', () => ordersWhere)}`;

/** Refills ctr_units from order_facts ⨝ order_windows (both current), ordered by live day. */
export async function rebuildCtrUnits(tx: Db): Promise<void> {
	await tx.run('DELETE FROM ctr_units');
	// live-day order: range filters on live_at / window_closed_on skip row groups by their min/max.
	await tx.run(`${build('true')} ORDER BY live_day, order_id`);
	await tx.run('DELETE FROM ctr_cube');
	await tx.run(`${cube('true')} ORDER BY live_day`);
}

/**
 * Replaces the rows of the orders `ordersWhere` selects (a predicate over order_facts columns:
 * order_id, seller_id …), after order_facts and order_windows were refreshed for them. It must
 * cover every order whose facts or windows changed: the touched orders, those whose windows a
 * CTR load moved, and every order of a seller whose first order may have moved.
 */
export async function refreshCtrUnits(tx: Db, ordersWhere: string): Promise<void> {
	// ctr_cube: every live day a replaced row had or has is summed again from ctr_units
	await tx.run(`CREATE OR REPLACE TEMP TABLE _ctr_days AS SELECT DISTINCT live_day FROM ctr_units WHERE ${ordersWhere}`);
	await tx.run(`DELETE FROM ctr_units WHERE ${ordersWhere}`);
	await tx.run(build(ordersWhere));
	await tx.run(`INSERT INTO _ctr_days SELECT DISTINCT live_day FROM ctr_units WHERE ${ordersWhere}`);
	const days = 'live_day IN (SELECT live_day FROM _ctr_days)';
	await tx.run(`DELETE FROM ctr_cube WHERE ${days}`);
	await tx.run(cube(days));
	await tx.run('DROP TABLE IF EXISTS _ctr_days');
}
