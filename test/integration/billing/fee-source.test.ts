/**
 * events.sql reads each order's fees from order_facts (order_fees_pre.sql) when the pre-aggregates
 * are current and from the order_charges VIEW (order_fees.sql) otherwise: both sources must give
 * the same rows, so the bills and the dashboards' service revenue do not depend on which was read.
 * Sample data (scale 0.05) loaded through the loader, as the product does.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/lib/server/db/connection.ts';
import { openProjectDb } from '../../../src/lib/server/db/open.ts';
import { writeSample } from '../../../src/lib/server/sample/index.ts';
import { ingestFolder } from '../../../src/lib/server/ingest/index.ts';
import { ensurePreaggregates, preaggFresh } from '../../../src/lib/server/preagg/index.ts';
import { eventParams, feeSource, serviceAmounts, sqlWithFees } from '../../../src/lib/server/billing/amounts.ts';
import { sql } from '../../../src/lib/server/billing/sql.ts';

let db: Db;
let dir: string;
let from: string;
let to: string;
const TODAY = '2026-11-15';

beforeAll(async () => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fee-source-'));
	await writeSample({ scale: 0.05, seed: 5, asOf: TODAY, out: dir });
	db = await openProjectDb({ path: ':memory:' });
	await ingestFolder(db, dir);
	await ensurePreaggregates(db);
	const r = (await db.one<{ a: string; b: string }>(`SELECT strftime(min(delivered_at), '%Y-%m') AS a, strftime(max(delivered_at), '%Y-%m') AS b FROM orders`))!;
	from = r.a;
	to = r.b;
}, 180_000);

afterAll(async () => {
	await db?.close();
	if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const strip = (s: string) => s.replace(/;\s*$/, '');

describe('per-order fees: order_facts vs the order_charges view', () => {
	it('the pre-aggregates are current after a load, so they are the source', async () => {
		expect(await preaggFresh(db)).toBe(true);
		expect(await feeSource(db)).toBe('preagg');
	});

	it('order_fees_pre gives exactly the rows of order_fees (unit prices included)', async () => {
		// language_unit is read only where language_count > 0 (order_fees_pre.sql cannot know it elsewhere)
		const unit = (q: string) => `SELECT * REPLACE (CASE WHEN language_count > 0 THEN language_unit END AS language_unit) FROM (${q})`;
		const view = unit(strip(sql('order_fees')));
		const pre = unit(strip(sql('order_fees_pre')));
		const n = (await db.one<{ n: number; langs: number; refunded: number }>(
			`SELECT count(*)::BIGINT AS n, count(*) FILTER (WHERE language_count > 0)::BIGINT AS langs,
			   count(*) FILTER (WHERE order_id IN (SELECT order_id FROM disputes WHERE ruling = 'provider_fault'))::BIGINT AS refunded FROM (${view})`
		))!;
		expect(n.n).toBeGreaterThan(100);
		expect(n.langs).toBeGreaterThan(0);
		expect(n.refunded).toBeGreaterThan(0);
		const diff = await db.one<{ a: number; b: number }>(
			`SELECT (SELECT count(*) FROM ((${view}) EXCEPT ALL (${pre})))::BIGINT AS a, (SELECT count(*) FROM ((${pre}) EXCEPT ALL (${view})))::BIGINT AS b`
		);
		expect(diff).toEqual({ a: 0, b: 0 });
	});

	it('events.sql gives the same rows from either source, every amount type present', async () => {
		const q = (s: 'preagg' | 'view') => `SELECT * FROM (${strip(sqlWithFees('events', s))}) ORDER BY ALL`;
		const params = eventParams(from, to);
		const a = await db.all<Record<string, unknown>>(q('preagg'), params);
		const b = await db.all<Record<string, unknown>>(q('view'), params);
		expect(new Set(a.map((r) => r.amount_type))).toEqual(new Set(['image_fee', 'language_fee', 'refund', 'credit', 'compensation']));
		expect(a).toEqual(b);
	});

	it('serviceAmounts per month and per seller agree between the sources', async () => {
		for (const groupBy of ['month', 'seller'] as const) {
			const a = await serviceAmounts(db, { fromMonth: from, toMonth: to, groupBy, source: 'preagg' });
			const b = await serviceAmounts(db, { fromMonth: from, toMonth: to, groupBy, source: 'view' });
			expect(a.length).toBeGreaterThan(0);
			expect(a).toEqual(b);
		}
	});

	it('a direct write that bypasses the loader makes the view the source again', async () => {
		await db.run(`INSERT INTO order_facts SELECT * FROM order_facts LIMIT 1`);
		try {
			expect(await feeSource(db)).toBe('view');
		} finally {
			await db.run(`DELETE FROM order_facts WHERE rowid = (SELECT max(rowid) FROM order_facts)`);
		}
		expect(await feeSource(db)).toBe('preagg');
	});
});
