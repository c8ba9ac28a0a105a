/**
 * ctr_units (preagg/ctr-units.ts) is order_facts ⨝ order_windows for the live orders: after a
 * first load (full build), after a second load folded in incrementally (orders changed, a seller's
 * first order moved, sellers renamed, CTR days changed inside windows) and from the migration's
 * one-time fill. The oracle is the join written here, independently of preagg/sql/ctr_units.sql.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/lib/server/db/connection.ts';
import { twoLoadDirs, type TwoLoads } from './two-loads.ts';
import { openProjectDb } from '../../../src/lib/server/db/open.ts';
import { MIGRATIONS } from '../../../src/lib/server/db/migrations/index.ts';
import { ingestFolder } from '../../../src/lib/server/ingest/index.ts';
import { writeSample } from '../../../src/lib/server/sample/index.ts';
import { preaggFresh } from '../../../src/lib/server/preagg/index.ts';

let db: Db;
let f: TwoLoads;
const src = (t: string) => f.src(t);
const ts = (e: string) => `strftime(${e}, '%Y-%m-%dT%H:%M:%S+08:00')`;

const COLS =
	'order_id, seller_id, seller_name, provider_id, provider_name, sku_id, category, region, image_type, form_filled, first_order, live_at, live_day, window_closed_on, refunded, ' +
	'b_impr, b_clicks, b_atc, r_impr, r_clicks, r_atc, b_nn, b_cc, b_cn, b_aa, b_an, r_nn, r_cc, r_cn, r_aa, r_an';

const units = () => db.all(`SELECT ${COLS} FROM ctr_units ORDER BY order_id`);
const oracle = () =>
	db.all(`SELECT ${COLS} FROM (
	  SELECT f.*, f.f_live_day AS live_day, f.f_close_day AS window_closed_on, f.f_refunded AS refunded, w.* EXCLUDE (order_id, sku_id, live_day)
	  FROM order_facts f, order_windows w WHERE f.order_id = w.order_id AND f.live_at IS NOT NULL) ORDER BY order_id`);

// ctr_cube_provider: every cell's sums over ctr_units written out here, FILTER (WHERE qual) in place of q·
const PAIRS = ['b_clicks', 'b_atc', 'b_impr', 'r_clicks', 'r_atc', 'r_impr'];
const SHORT: Record<string, string> = { b_clicks: 'bc', b_atc: 'ba', b_impr: 'bi', r_clicks: 'rc', r_atc: 'ra', r_impr: 'ri' };
const CUBE_COLS = ['bc', 'ba', 'bi', 'rc', 'ra', 'ri', 'bc_bc', 'bc_bi', 'bc_rc', 'bc_ri', 'bi_bi', 'bi_rc', 'bi_ri', 'rc_rc', 'rc_ri', 'ri_ri', 'ba_ba', 'ba_bi', 'ba_ra', 'ba_ri', 'bi_ra', 'ra_ra', 'ra_ri'];
const providerCube = () => db.all(`SELECT live_day, live_at, window_closed_on, provider_id, provider_name, live_orders, first_order_id, n, ${CUBE_COLS.join(', ')} FROM ctr_cube_provider ORDER BY live_day, provider_id, provider_name`);
const providerCubeOracle = () => {
	const col = (c: string) => {
		const [a, b] = c.split('_').map((x) => PAIRS.find((p) => SHORT[p] === x)!);
		return `coalesce(sum(${b ? `${a} * ${b}` : a}) FILTER (WHERE qual), 0)::BIGINT AS ${c}`;
	};
	return db.all(`SELECT live_day, min(live_day)::TIMESTAMPTZ AS live_at, max(window_closed_on) AS window_closed_on, provider_id, provider_name,
	  count(*)::BIGINT AS live_orders, min(order_id) AS first_order_id, count(*) FILTER (WHERE qual)::BIGINT AS n, ${CUBE_COLS.map(col).join(', ')}
	  FROM ctr_units GROUP BY live_day, provider_id, provider_name ORDER BY live_day, provider_id, provider_name`);
};

beforeAll(async () => {
	f = twoLoadDirs('ctr-units-');
	await writeSample({ scale: 0.03, seed: 7, asOf: '2026-11-15', out: f.one });
	db = await openProjectDb({ path: ':memory:' });
	expect((await ingestFolder(db, f.one, { loadsDir: f.loadsDir })).status).toBe('ok');
	const copy = (t: string, sql: string) => f.copy(db, t, sql);
	// changed live orders (form flag), and a new earliest order of the seller of a live order:
	// that seller's first order moves, so ctr_units rows of orders the load did not name change.
	await copy(
		'orders',
		`(SELECT * REPLACE (CASE spec_form_filled WHEN 'true' THEN 'false' ELSE 'true' END AS spec_form_filled)
		 FROM ${src('orders')} WHERE live_at IS NOT NULL ORDER BY order_id LIMIT 20 OFFSET 50)
		 UNION ALL
		 (SELECT * REPLACE ('OZNEW1' AS order_id, ${ts(`(SELECT min(published_at::TIMESTAMPTZ) FROM ${src('orders')}) - INTERVAL 1 DAY`)} AS published_at,
		   NULL AS matched_at, NULL AS first_draft_at, NULL AS delivered_at, NULL AS accepted_at, NULL AS live_at, NULL AS cancelled_at)
		 FROM (SELECT o.* FROM ${src('orders')} o
		   JOIN (SELECT seller_id, arg_min(order_id, (published_at::TIMESTAMPTZ, order_id)) AS first_id FROM ${src('orders')} GROUP BY 1) s ON s.first_id = o.order_id
		   WHERE o.live_at IS NOT NULL ORDER BY o.order_id LIMIT 1))`
	);
	await copy('sellers', `SELECT * REPLACE (name || ' (renamed)' AS name) FROM ${src('sellers')} ORDER BY seller_id LIMIT 5`);
	await copy(
		'ctr_daily',
		`SELECT c.sku_id, c.date, (c.impressions::INTEGER + 1000)::VARCHAR AS impressions, (c.clicks::INTEGER + 60)::VARCHAR AS clicks, c.add_to_cart
		 FROM ${src('ctr_daily')} c
		 WHERE EXISTS (
		   SELECT 1 FROM (SELECT sku_id, live_at::TIMESTAMPTZ::DATE AS l FROM ${src('orders')} WHERE live_at IS NOT NULL ORDER BY order_id LIMIT 15 OFFSET 300) o
		   WHERE o.sku_id = c.sku_id AND c.date::DATE BETWEEN o.l - 3 AND o.l + 3)`
	);
}, 240_000);

afterAll(async () => {
	await db?.close();
	f?.dispose();
});

describe('ctr_units', () => {
	it('equals order_facts ⨝ order_windows after a load, after an incremental load, and from the migration fill', async () => {
		const first = await units();
		expect(first.length).toBeGreaterThan(100);
		expect(first).toEqual(await oracle());
		const cube1 = await providerCube();
		expect(cube1.length).toBeGreaterThan(50);
		expect(cube1).toEqual(await providerCubeOracle());

		const firstOrders = new Map(first.map((r) => [(r as { order_id: string }).order_id, r]));
		const r2 = await ingestFolder(db, f.two, { loadsDir: f.loadsDir });
		expect(r2.tables.filter((t) => t.rejected || t.error)).toEqual([]);
		expect(await preaggFresh(db)).toBe(true);
		const second = await units();
		expect(second).toEqual(await oracle());
		// the load moved rows in each way it could: dimensions, names, first_order, window sums
		type U = Record<string, unknown>;
		const changed = (col: string) => (second as U[]).filter((r) => firstOrders.has(r.order_id as string) && (firstOrders.get(r.order_id as string) as U)[col] !== r[col]).length;
		expect(changed('form_filled')).toBe(20);
		expect(changed('seller_name')).toBeGreaterThan(0);
		expect(changed('first_order')).toBe(1);
		expect(changed('r_impr')).toBeGreaterThan(0);
		// the provider cube's touched live days were summed again (incremental = from scratch)
		const cube2 = await providerCube();
		expect(cube2).not.toEqual(cube1);
		expect(cube2).toEqual(await providerCubeOracle());
		// a database made before the provider cube: migration 011 creates and fills it, same rows;
		// run again over a filled one it adds nothing
		await db.run('DROP TABLE ctr_cube_provider');
		const m011 = MIGRATIONS.find((m) => m.version === 11)!.sql;
		await db.run(m011);
		expect(await providerCube()).toEqual(cube2);
		await db.run(m011);
		expect(await providerCube()).toEqual(cube2);

		// the migration's one-time fill (an existing database) gives the same rows
		await db.run('DELETE FROM ctr_units');
		await db.run(MIGRATIONS.find((m) => m.name === 'ctr_units')!.sql);
		expect(await units()).toEqual(second);
	}, 120_000);
});
