/**
 * ctr_units (migration 008): one row per live order holding what the CTR page reads — the
 * order's dimensions (order_facts) and its window sums (order_windows) — so CTR requests scan one
 * table instead of joining the two on a text key. Made from those two tables, so it is rebuilt or
 * refreshed right after order_windows (preagg/index.ts), inside the same transaction.
 * ctr_cube (same migration) sums ctr_units per live day and the coarse dimensions, ctr_cube_provider
 * (migration 011) per live day and provider; both are kept with ctr_units here, by whole live days,
 * and so are their month cubes (ctr_cube_month, ctr_cube_provider_month: sql/ctr_cube_month.sql).
 * ctr_did_cells (migration 011) holds the DiD control per (category, live day) (sql/ctr_did_cells.sql),
 * rebuilt with ctr_units and brought up to the newest load wherever ctr_units is refreshed.
 */
import { CATEGORIES } from '../db/contract.ts';
import type { Db } from '../db/connection.ts';
import { MIGRATIONS } from '../db/migrations/index.ts';
import { preaggSql } from './sql.ts';

// Migration 011 is idempotent (CREATE IF NOT EXISTS, fills only into empty tables). A database that
// applied an earlier draft of it (this session's bench copies) lacks the month cubes: running it
// again before the cubes are written makes them, a few ms otherwise.
const MIGRATION_011 = MIGRATIONS.find((m) => m.version === 11)!.sql;
const ensureTables = (tx: Db) => tx.run(MIGRATION_011);

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

/**
 * Start-up catch-up (preagg/index.ts calls it by this name once everything else is current): brings
 * ctr_did_cells up to the newest load — a database made before migration 011, or loads that did
 * not refresh ctr_units (CTR days of SKUs without a live order). ctr_cube_provider itself is a
 * table of migration 011 now, kept with ctr_units; nothing to create. True when it did work.
 */
export async function ensureCtrProviderCube(tx: Db): Promise<boolean> {
	await ensureTables(tx);
	return refreshCtrDidCells(tx);
}

const DID_STATE = 'ctr_did_load';
const didUnits = (cellsWhere: string) => preaggSql('ctr_did_units.sql').replaceAll('{{cells_where}}', () => cellsWhere);
/** The cells of the control units `units` (a relation: sql/ctr_did_units.sql's rows). */
const didCellsOf = (units: string) => `INSERT INTO ctr_did_cells BY NAME ${preaggSql('ctr_did_cells.sql').replaceAll('{{units}}', () => units)}`;
const didCells = (cellsWhere: string) => didCellsOf(`(${didUnits(cellsWhere)})`);

async function newestLoad(tx: Db): Promise<number> {
	return (await tx.one<{ id: number | null }>(`SELECT max(load_id)::BIGINT AS id FROM loads WHERE status <> 'failed'`))?.id ?? 0;
}

/** Refills ctr_did_cells from order_facts and ctr_daily (order_facts current). */
export async function rebuildCtrDidCells(tx: Db): Promise<void> {
	await tx.run('DELETE FROM ctr_did_cells');
	// The units once (one pass over order_facts and ctr_daily for the SKU spans), then the window sums
	// one category at a time: all categories in one statement outgrew DuckDB's 4 GB at scale 100 inside
	// a full rebuild's transaction, and a category's cells depend on its own units only.
	await tx.run(`CREATE OR REPLACE TEMP TABLE _ctr_did_units AS ${didUnits('true')} ORDER BY category, sku_id, live_day`);
	try {
		for (const category of CATEGORIES) await tx.run(`${didCellsOf('(SELECT * FROM _ctr_did_units WHERE category = $category)')} ORDER BY live_day`, { category });
	} finally {
		await tx.run('DROP TABLE IF EXISTS _ctr_did_units');
	}
	await tx.run(`INSERT OR REPLACE INTO preagg_state VALUES ('${DID_STATE}', $v)`, { v: String(await newestLoad(tx)) });
}

/**
 * Brings ctr_did_cells up to the newest load (order_facts current); false when it was already.
 * A load that changed orders (a SKU's category, its live days, a SKU becoming known) rebuilds it;
 * one that only brought CTR days redoes the cells those days reach: (the SKU's category,
 * L = day − 29 … day + 7).
 */
export async function refreshCtrDidCells(tx: Db): Promise<boolean> {
	const state = await tx.one<{ value: string }>(`SELECT value FROM preagg_state WHERE key = '${DID_STATE}'`);
	const upTo = await newestLoad(tx);
	if (state && Number(state.value) === upTo) return false;
	const since = state ? Number(state.value) : null;
	const orders = since === null ? 1 : ((await tx.one<{ n: number }>('SELECT count(*)::INTEGER AS n FROM (SELECT 1 FROM orders WHERE _load_id > $since LIMIT 1)', { since }))?.n ?? 0);
	if (orders > 0) {
		await rebuildCtrDidCells(tx);
		return true;
	}
	await tx.run(
		`CREATE OR REPLACE TEMP TABLE _ctr_did_touch AS
		 SELECT DISTINCT s.category, (x.date + r.k::INTEGER) AS live_day
		 FROM (SELECT sku_id, date FROM ctr_daily WHERE _load_id > $since) x
		 JOIN (SELECT sku_id, any_value(category) AS category FROM order_facts GROUP BY sku_id) s USING (sku_id), range(-29, 8) r(k)`,
		{ since }
	);
	await tx.run('DELETE FROM ctr_did_cells WHERE EXISTS (SELECT 1 FROM _ctr_did_touch t WHERE t.category = ctr_did_cells.category AND t.live_day = ctr_did_cells.live_day)');
	await tx.run(didCells('EXISTS (SELECT 1 FROM _ctr_did_touch t WHERE t.category = c.category AND t.live_day = c.live_day)'));
	await tx.run('DROP TABLE IF EXISTS _ctr_did_touch');
	await tx.run(`INSERT OR REPLACE INTO preagg_state VALUES ('${DID_STATE}', $v)`, { v: String(upTo) });
	return true;
}

/** Each day cube's month cube (sql/ctr_cube_month.sql), refilled for the months `monthsWhere` selects. */
const monthCube = (table: (typeof CUBES)[number], monthsWhere: string) =>
	`INSERT INTO ${table}_month BY NAME ${preaggSql('ctr_cube_month.sql')
		.replaceAll('{{cell}}', () => CELLS[table])
		.replaceAll('{{day_cube}}', () => table)
		.replaceAll('{{months_where}}', () => monthsWhere)}`;

const build = (ordersWhere: string) => `INSERT INTO ctr_units BY NAME ${preaggSql('ctr_units.sql').replaceAll('{{orders_where}}', () => ordersWhere)}`;

/** Refills ctr_units from order_facts ⨝ order_windows (both current), ordered by live day. */
export async function rebuildCtrUnits(tx: Db): Promise<void> {
	await ensureTables(tx);
	await tx.run('DELETE FROM ctr_units');
	// live-day order: range filters on live_at / window_closed_on skip row groups by their min/max.
	await tx.run(`${build('true')} ORDER BY live_day, order_id`);
	for (const t of CUBES) {
		await tx.run(`DELETE FROM ${t}`);
		await tx.run(`${cube(t, 'true')} ORDER BY live_day`);
		await tx.run(`DELETE FROM ${t}_month`);
		await tx.run(`${monthCube(t, 'true')} ORDER BY month`);
	}
	await rebuildCtrDidCells(tx);
}

/**
 * Replaces the rows of the orders `ordersWhere` selects (a predicate over order_facts columns:
 * order_id, seller_id …), after order_facts and order_windows were refreshed for them. It must
 * cover every order whose facts or windows changed: the touched orders, those whose windows a
 * CTR load moved, and every order of a seller whose first order may have moved.
 */
export async function refreshCtrUnits(tx: Db, ordersWhere: string): Promise<void> {
	await ensureTables(tx);
	// the cubes: every live day a replaced row had or has is summed again from ctr_units
	await tx.run(`CREATE OR REPLACE TEMP TABLE _ctr_days AS SELECT DISTINCT live_day FROM ctr_units WHERE ${ordersWhere}`);
	await tx.run(`DELETE FROM ctr_units WHERE ${ordersWhere}`);
	await tx.run(build(ordersWhere));
	await tx.run(`INSERT INTO _ctr_days SELECT DISTINCT live_day FROM ctr_units WHERE ${ordersWhere}`);
	const days = 'live_day IN (SELECT live_day FROM _ctr_days)';
	// and their months, summed again from the day cubes
	const months = `date_trunc('month', live_day)::DATE IN (SELECT DISTINCT date_trunc('month', live_day)::DATE FROM _ctr_days)`;
	for (const t of CUBES) {
		await tx.run(`DELETE FROM ${t} WHERE ${days}`);
		await tx.run(cube(t, days));
		await tx.run(`DELETE FROM ${t}_month WHERE month IN (SELECT DISTINCT date_trunc('month', live_day)::DATE FROM _ctr_days)`);
		await tx.run(monthCube(t, months));
	}
	await tx.run('DROP TABLE IF EXISTS _ctr_days');
	await refreshCtrDidCells(tx);
}
