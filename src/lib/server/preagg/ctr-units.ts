/**
 * ctr_units (migration 008): one row per live order holding what the CTR page reads — the
 * order's dimensions (order_facts) and its window sums (order_windows) — so CTR requests scan one
 * table instead of joining the two on a text key. Made from those two tables, so it is rebuilt or
 * refreshed right after order_windows (preagg/index.ts), inside the same transaction.
 * ctr_cube (same migration) sums ctr_units per live day and the coarse dimensions, ctr_cube_provider
 * per live day and provider (created here: sql/ctr_cube_provider_table.sql); both are kept with
 * ctr_units here, by whole live days.
 */
import type { Db } from '../db/connection.ts';
import { preaggSql } from './sql.ts';

const CUBES = ['ctr_cube', 'ctr_cube_provider'] as const;
/** Each cube's cell besides the live day (sql/ctr_cube.sql is the one definition of the sums). */
const CELLS: Record<(typeof CUBES)[number], string> = {
	ctr_cube: 'category, region, image_type, form_filled, first_order',
	ctr_cube_provider: 'provider_id, provider_name'
};
const cube = (table: (typeof CUBES)[number], daysWhere: string) =>
	`INSERT INTO ${table} BY NAME ${preaggSql('ctr_cube.sql')
		.replaceAll('{{cell}}', () => CELLS[table])
		.replaceAll('{{days_where}}', () => daysWhere)}`;

async function providerCubeExists(tx: Db): Promise<boolean> {
	return ((await tx.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE table_name = 'ctr_cube_provider' AND NOT temporary`))?.n ?? 0) > 0;
}

/**
 * Creates and fills ctr_cube_provider from ctr_units when the database has none yet (made before
 * it existed); a no-op otherwise. Call it where the pre-aggregates are ensured at start-up.
 */
export async function ensureCtrProviderCube(tx: Db): Promise<boolean> {
	if (await providerCubeExists(tx)) return false;
	await tx.run(preaggSql('ctr_cube_provider_table.sql'));
	await tx.run(`${cube('ctr_cube_provider', 'true')} ORDER BY live_day`);
	return true;
}

const build = (ordersWhere: string) => `INSERT INTO ctr_units BY NAME ${preaggSql('ctr_units.sql').replaceAll('{{orders_where}}', () => ordersWhere)}`;

/** Refills ctr_units from order_facts ⨝ order_windows (both current), ordered by live day. */
export async function rebuildCtrUnits(tx: Db): Promise<void> {
	await tx.run('DELETE FROM ctr_units');
	// live-day order: range filters on live_at / window_closed_on skip row groups by their min/max.
	await tx.run(`${build('true')} ORDER BY live_day, order_id`);
	await tx.run(preaggSql('ctr_cube_provider_table.sql'));
	for (const t of CUBES) {
		await tx.run(`DELETE FROM ${t}`);
		await tx.run(`${cube(t, 'true')} ORDER BY live_day`);
	}
}

/**
 * Replaces the rows of the orders `ordersWhere` selects (a predicate over order_facts columns:
 * order_id, seller_id …), after order_facts and order_windows were refreshed for them. It must
 * cover every order whose facts or windows changed: the touched orders, those whose windows a
 * CTR load moved, and every order of a seller whose first order may have moved.
 */
export async function refreshCtrUnits(tx: Db, ordersWhere: string): Promise<void> {
	// a database made before ctr_cube_provider: filled from the ctr_units of before, then its
	// touched days are redone below like those of ctr_cube
	await ensureCtrProviderCube(tx);
	// the cubes: every live day a replaced row had or has is summed again from ctr_units
	await tx.run(`CREATE OR REPLACE TEMP TABLE _ctr_days AS SELECT DISTINCT live_day FROM ctr_units WHERE ${ordersWhere}`);
	await tx.run(`DELETE FROM ctr_units WHERE ${ordersWhere}`);
	await tx.run(build(ordersWhere));
	await tx.run(`INSERT INTO _ctr_days SELECT DISTINCT live_day FROM ctr_units WHERE ${ordersWhere}`);
	const days = 'live_day IN (SELECT live_day FROM _ctr_days)';
	for (const t of CUBES) {
		await tx.run(`DELETE FROM ${t} WHERE ${days}`);
		await tx.run(cube(t, days));
	}
	await tx.run('DROP TABLE IF EXISTS _ctr_days');
}
