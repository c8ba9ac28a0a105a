/**
 * The rules that exist both in SQL (bulk) and in TypeScript (one row) give the same answers:
 * the on-time deadline (order_deadlines view vs src/lib/sla.ts onTimeDeadline), the SLA state at
 * query time (sla_state.sql vs slaState), and the USCC check character (uscc_check.sql vs src/lib/uscc.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/lib/server/db/connection.ts';
import { onTimeDeadline, slaState } from '../../../src/lib/sla.ts';
import { isValidUscc, usccCheckChar, USCC_ALPHABET } from '../../../src/lib/uscc.ts';
import { runMetric } from '../../../src/lib/server/metrics/run.ts';
import { sqlFile } from '../../../src/lib/server/metrics/sql.ts';
import { addSellers, emptyDb } from './fixture.ts';

let db: Db;
beforeAll(async () => {
	db = await emptyDb();
	// 400 orders published at pseudo-random instants 2024-01-01 … 2027-03-01 (some past the calendar),
	// cycles 3–12 working days, every 7th rush; generated in SQL from a hash (deterministic).
	await db.run(`
		INSERT INTO orders
		SELECT 'O' || i, 'S1', 'P1', 'SKU' || i, 'home', 'main', 1, i % 7 = 0, []::VARCHAR[], false,
		  3 + (hash(i, 'd') % 10)::INTEGER, 0, false, true,
		  TIMESTAMPTZ '2024-01-01 00:00:00+08' + to_seconds((hash(i, 't') % (1155 * 86400))::BIGINT),
		  NULL, NULL,
		  CASE WHEN i % 3 = 0 THEN NULL ELSE TIMESTAMPTZ '2024-01-01 00:00:00+08' + to_seconds((hash(i, 't') % (1155 * 86400))::BIGINT + (hash(i, 's') % (15 * 86400))::BIGINT) END,
		  NULL, NULL, NULL, 1
		FROM range(400) t(i)`);
});
afterAll(async () => db?.close());

describe('SQL equals TypeScript', () => {
	it('on-time deadlines of 400 random orders', async () => {
		const rows = await db.all<{ order_id: string; published_at: Date; delivery_days: number; rush: boolean; deadline: Date; beyond_calendar: boolean; missing_year: number | null }>(
			'SELECT o.order_id, o.published_at, o.delivery_days, o.rush, d.deadline, d.beyond_calendar, d.missing_year FROM orders o JOIN order_deadlines d USING (order_id)'
		);
		expect(rows).toHaveLength(400);
		let beyond = 0;
		for (const r of rows) {
			const ts = onTimeDeadline(r.published_at, r.delivery_days, r.rush);
			expect({ id: r.order_id, d: r.deadline.toISOString(), b: r.beyond_calendar, y: r.missing_year }).toEqual({
				id: r.order_id,
				d: ts.deadline.toISOString(),
				b: ts.beyondCalendar,
				y: ts.missingYear
			});
			if (r.beyond_calendar) beyond++;
		}
		expect(beyond).toBeGreaterThan(0); // the sample reaches past the calendar
	});

	it('SLA states at several instants', async () => {
		for (const now of ['2024-06-01T12:00:00+08:00', '2025-03-03T09:00:00+08:00', '2026-02-20T23:59:59+08:00', '2026-12-31T08:00:00+08:00']) {
			const r = await runMetric(db, { metric: 'sla_items', sla: 'on_time_delivery', limit: 10_000 }, { sellerId: null }, { now: new Date(now) });
			expect(r.rows.length).toBeGreaterThan(0);
			for (const x of r.rows) {
				const want = slaState(x.start_at as Date, (x.stop_at as Date | null) ?? null, x.deadline as Date, new Date(now));
				expect([x.item_id, x.state]).toEqual([x.item_id, want]);
			}
		}
	});

	it('USCC check character', async () => {
		const codes: string[] = [];
		let seed = 7;
		const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
		for (let i = 0; i < 300; i++) {
			const body = Array.from({ length: 17 }, () => USCC_ALPHABET[Math.floor(rnd() * 31)]).join('');
			const check = i % 2 ? usccCheckChar(body) : USCC_ALPHABET[Math.floor(rnd() * 31)];
			codes.push(body + check);
		}
		codes.push('91350100M000100Y4', '91350100M000100Y43X', '91350100m000100Y43', '9135010OM000100Y43', '');
		await addSellers(
			db,
			codes.map((c, i) => ({ seller_id: `U${i}`, uscc: c }))
		);
		const rows = await db.all<{ uscc: string; valid: boolean }>(`SELECT uscc, valid FROM (${sqlFile('uscc_check.sql')}) WHERE seller_id LIKE 'U%'`);
		expect(rows).toHaveLength(codes.length);
		let valid = 0;
		for (const r of rows) {
			expect([r.uscc, r.valid]).toEqual([r.uscc, isValidUscc(r.uscc)]);
			if (r.valid) valid++;
		}
		expect(valid).toBeGreaterThan(140);
	});
});
