import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { openProjectDb } from '../../../src/lib/server/db/open.ts';
import { migrate, schemaVersion } from '../../../src/lib/server/db/migrate.ts';
import { MIGRATIONS } from '../../../src/lib/server/db/migrations/index.ts';
import type { Db } from '../../../src/lib/server/db/connection.ts';
import { loadPriceList } from '../../../src/lib/server/config.ts';
import { orderCharge, versionFor } from '../../../src/lib/pricing.ts';
import { CATEGORIES, LANGUAGES } from '../../../src/lib/contract-enums.ts';

let db: Db;
beforeAll(async () => {
	db = await openProjectDb({ path: ':memory:' });
});
afterAll(async () => db.close());

describe('migrations', () => {
	it('record the schema version and run once', async () => {
		expect(await schemaVersion(db)).toBe(MIGRATIONS[MIGRATIONS.length - 1].version);
		expect(await migrate(db)).toEqual([]);
	});
	it('create every table of the data contract', async () => {
		const t = (await db.all<{ table_name: string }>(`SELECT table_name FROM information_schema.tables`)).map((r) => r.table_name);
		for (const name of ['sellers', 'providers', 'orders', 'revisions', 'disputes', 'delistings', 'ctr_daily', 'payments']) expect(t).toContain(name);
	});
	it('runs in Asia/Shanghai: 2026-03-01 00:30 +08:00 is a March day', async () => {
		const r = await db.one<{ d: string; m: string }>(`SELECT (TIMESTAMPTZ '2026-02-28 16:30:00Z')::DATE AS d, strftime(TIMESTAMPTZ '2026-02-28 16:30:00Z', '%Y-%m') AS m`);
		expect(r).toEqual({ d: '2026-03-01', m: '2026-03' });
	});
	it('fills the working-day calendar: 2026-02-14 (调休 Saturday) works, 2026-02-16 (春节) does not', async () => {
		const rows = await db.all<{ day: string; is_workday: boolean }>(`SELECT day, is_workday FROM calendar_days WHERE day IN ('2026-02-14', '2026-02-16') ORDER BY day`);
		expect(rows).toEqual([
			{ day: '2026-02-14', is_workday: true },
			{ day: '2026-02-16', is_workday: false }
		]);
	});
});

describe('order_charges view', () => {
	it('equals the TypeScript pricing for random orders (property)', async () => {
		const list = loadPriceList();
		const order = fc.record({
			category: fc.constantFrom(...CATEGORIES),
			imageType: fc.constantFrom('main' as const, 'scene' as const),
			rush: fc.boolean(),
			storeLicense: fc.boolean(),
			imageCount: fc.integer({ min: 1, max: 50 }),
			languages: fc.shuffledSubarray([...LANGUAGES])
		});
		const orders = fc.sample(order, { numRuns: 200, seed: 7 });
		await db.run('DELETE FROM orders');
		await db.run(
			`INSERT INTO orders SELECT 'o' || i, 's', 'p', 'k', category, image_type, image_count, rush, languages, store_license, 3, 0, false, true, TIMESTAMPTZ '2026-03-01 10:00:00+08', NULL, NULL, NULL, NULL, NULL, NULL, 1
			 FROM (SELECT unnest(from_json($rows, '[{"i":"INTEGER","category":"VARCHAR","image_type":"VARCHAR","rush":"BOOLEAN","store_license":"BOOLEAN","image_count":"INTEGER","languages":["VARCHAR"]}]'), recursive := true))`,
			{ rows: JSON.stringify(orders.map((o, i) => ({ i, category: o.category, image_type: o.imageType, rush: o.rush, store_license: o.storeLicense, image_count: o.imageCount, languages: o.languages }))) }
		);
		const rows = await db.all<{ order_id: string; image_fee: number; language_fee: number; total: number }>('SELECT order_id, image_fee, language_fee, total FROM order_charges');
		expect(rows).toHaveLength(orders.length);
		const v = versionFor(list, '2026-03-01');
		for (const r of rows) {
			const o = orders[Number(r.order_id.slice(1))];
			const c = orderCharge(v, o);
			expect({ id: r.order_id, image: r.image_fee, lang: r.language_fee, total: r.total }).toEqual({ id: r.order_id, image: c.imageFee, lang: c.languageFee, total: c.total });
		}
	});
});
