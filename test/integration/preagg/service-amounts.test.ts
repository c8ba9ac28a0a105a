/**
 * The stored service amounts (service_order_months, service_months, service_month_totals) are a
 * cache of billing/events.sql's sums: serviceAmounts answers the same from them as from the
 * events (every grouping, a seller, a range), after a load and after a second (incremental) load
 * that changes image counts, rules disputes provider_fault (refund and credit events) and moves
 * compensations to another month; the incremental tables equal a full rebuild.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/lib/server/db/connection.ts';
import { twoLoadDirs, type TwoLoads } from './two-loads.ts';
import { openProjectDb } from '../../../src/lib/server/db/open.ts';
import { ingestFolder } from '../../../src/lib/server/ingest/index.ts';
import { writeSample } from '../../../src/lib/server/sample/index.ts';
import { preaggFresh, rebuildPreaggregates } from '../../../src/lib/server/preagg/index.ts';
import { serviceAmountsCurrent } from '../../../src/lib/server/preagg/service-amounts.ts';
import { serviceAmounts } from '../../../src/lib/server/billing/amounts.ts';

let db: Db;
let f: TwoLoads;
const src = (t: string) => f.src(t);

async function tables() {
	return {
		orders: await db.all('SELECT * FROM service_order_months ORDER BY order_id, month'),
		months: await db.all('SELECT * FROM service_months ORDER BY month, seller_id'),
		totals: await db.all('SELECT * FROM service_month_totals ORDER BY month')
	};
}

/** serviceAmounts from the stored sums and from the events, for a few shapes. */
async function bothWays() {
	const seller = (await db.one<{ s: string }>('SELECT seller_id AS s FROM orders GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1'))!.s;
	const shapes = [
		{ fromMonth: '2024-01', toMonth: '2026-12', groupBy: 'month' as const },
		{ fromMonth: '2025-11', toMonth: '2026-10', groupBy: 'month' as const },
		{ fromMonth: '2026-03', toMonth: '2026-09', groupBy: 'seller' as const },
		{ fromMonth: '2026-01', toMonth: '2026-06' },
		{ fromMonth: '2024-01', toMonth: '2026-12', groupBy: 'month' as const, sellerId: seller }
	];
	const stored = await Promise.all(shapes.map((o) => serviceAmounts(db, { ...o, source: 'preagg' })));
	const events = await Promise.all(shapes.map((o) => serviceAmounts(db, { ...o, source: 'view' })));
	return { stored, events };
}

beforeAll(async () => {
	f = twoLoadDirs('preagg-service-');
	await writeSample({ scale: 0.05, seed: 11, asOf: '2026-11-15', out: f.one });
	db = await openProjectDb({ path: ':memory:' });
	expect((await ingestFolder(db, f.one, { loadsDir: f.loadsDir })).status).toBe('ok');
	const copy = (t: string, sql: string) => f.copy(db, t, sql);
	await copy('orders', `SELECT * REPLACE ((image_count::INTEGER + 1)::VARCHAR AS image_count) FROM ${src('orders')} WHERE delivered_at IS NOT NULL ORDER BY order_id LIMIT 30 OFFSET 20`);
	await copy(
		'disputes',
		`SELECT * REPLACE ('provider_fault' AS ruling)
		 FROM ${src('disputes')} WHERE resolved_at IS NOT NULL AND ruling <> 'provider_fault'
		   AND order_id IN (SELECT order_id FROM ${src('orders')} WHERE live_at IS NULL AND delivered_at IS NOT NULL) ORDER BY dispute_id LIMIT 8`
	);
	await copy(
		'delistings',
		`SELECT * REPLACE (strftime(compensated_at::TIMESTAMPTZ + INTERVAL 35 DAY, '%Y-%m-%dT%H:%M:%S+08:00') AS compensated_at)
		 FROM ${src('delistings')} WHERE compensated_at IS NOT NULL AND compensated_at::TIMESTAMPTZ < '2026-08-01' ORDER BY delisting_id LIMIT 3`
	);
}, 240_000);

afterAll(async () => {
	await db?.close();
	f?.dispose();
});

describe('stored service amounts', () => {
	it('after a load: serviceAmounts reads them and answers as the events do', async () => {
		expect(await preaggFresh(db)).toBe(true);
		expect(await serviceAmountsCurrent(db)).toBe(true);
		const { stored, events } = await bothWays();
		expect(stored[0].length).toBeGreaterThan(6);
		expect(stored[0].some((r) => r.refunds < 0)).toBe(true);
		expect(stored).toEqual(events);
	}, 120_000);

	it('after a second (incremental) load: equal to the events and to a full rebuild', async () => {
		const before = await tables();
		const r2 = await ingestFolder(db, f.two, { loadsDir: f.loadsDir });
		expect(r2.tables.filter((t) => t.rejected || t.error)).toEqual([]);
		expect(await preaggFresh(db)).toBe(true);
		const incremental = await tables();
		expect(incremental.months).not.toEqual(before.months);
		const { stored, events } = await bothWays();
		expect(stored).toEqual(events);
		await rebuildPreaggregates(db);
		expect(await tables()).toEqual(incremental);
	}, 120_000);

	it('made by other definitions: serviceAmounts reads the events', async () => {
		await db.run(`UPDATE preagg_state SET value = 'old' WHERE key = 'service_amounts'`);
		await db.run('DELETE FROM service_months');
		await db.run('DELETE FROM service_month_totals');
		const { stored, events } = await bothWays();
		expect(stored).toEqual(events);
		expect(stored[0].length).toBeGreaterThan(6);
	}, 120_000);
});
