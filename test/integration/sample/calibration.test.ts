/**
 * Calibration: at scale 0.3 the sample's metrics, computed with plain SQL (calibration.sql), land
 * within ±15% of the platform benchmarks of the domain spec.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openProjectDb } from '../../../src/lib/server/db/open.ts';
import type { Db } from '../../../src/lib/server/db/connection.ts';
import { writeSample } from '../../../src/lib/server/sample/index.ts';
import { isValidUscc } from '../../../src/lib/uscc.ts';
import { loadAsText, rowObject, tmpDir } from './helpers.ts';

const AS_OF = '2026-11-27';
const SQL = fs.readFileSync(fileURLToPath(new URL('./calibration.sql', import.meta.url)), 'utf8');
let out: string;
let db: Db;
let m: Record<string, number>;

const near = (actual: number, target: number, rel = 0.15) => {
	expect(actual).toBeGreaterThanOrEqual(target * (1 - rel));
	expect(actual).toBeLessThanOrEqual(target * (1 + rel));
};

beforeAll(async () => {
	out = tmpDir('calibration');
	await writeSample({ scale: 0.3, seed: 11, asOf: AS_OF, out });
	db = await openProjectDb({ path: ':memory:', connections: 1 });
	m = await db.withConnection(async (c) => {
		await c.run(`SET VARIABLE as_of = DATE '${AS_OF}'`);
		await loadAsText(c, out);
		return rowObject(c, SQL);
	});
});

afterAll(async () => {
	await db?.close();
	fs.rmSync(out, { recursive: true, force: true });
});

describe('sample calibration (scale 0.3)', () => {
	it('rework ≈ 11.3%, far higher with an unfilled form, and first-order rework mostly from unfilled forms', () => {
		near(m.rework_rate, 0.113);
		expect(m.rework_unfilled).toBeGreaterThan(3 * m.rework_filled);
		expect(m.first_rework_unfilled_share).toBeGreaterThan(0.6);
	});

	it('first draft ≈ 42.6 h and arbitration ≈ 31.2 h on average', () => {
		near(m.first_draft_h, 42.6);
		near(m.arbitration_h, 31.2);
	});

	it('~93% delivered on time, ~3% disputed, most first responses within 2 h', () => {
		near(m.on_time, 0.93, 0.04);
		near(m.dispute_rate, 0.03, 0.3);
		expect(m.response_ok).toBeGreaterThan(0.85);
		expect(m.response_ok).toBeLessThan(1);
	});

	it('68.4% of sellers in the three hubs', () => {
		near(m.region_share, 0.684, 0.1);
	});

	it('every reason code and ruling occurs; claims above and below ¥5,000', () => {
		expect(m.revision_codes).toBe(12);
		expect(m.dispute_codes).toBe(12);
		expect(m.rulings).toBe(3);
		expect(m.claims_above).toBeGreaterThan(0);
		expect(m.claims_below).toBeGreaterThan(0);
	});

	it('CTR lift ≈ +37% and add-to-cart rate lift ≈ +28.5% (ratio of sums, 7-day baseline vs 30-day result)', () => {
		expect(m.measurable).toBeGreaterThan(1000);
		near(m.ctr_lift, 0.372);
		near(m.atc_lift, 0.285);
	});

	it('USCC check characters pass except a few; ~1–2% of sellers are ineligible', async () => {
		const rows = await db.all<{ uscc: string; ineligible: boolean }>(
			`SELECT uscc, (entity_type <> 'enterprise' OR enterprise_certified = 'false' OR store_level::INT < 3 OR serious_violation_90d = 'true') AS ineligible FROM s_sellers`
		);
		const valid = rows.filter((r) => isValidUscc(r.uscc)).length / rows.length;
		expect(valid).toBeGreaterThan(0.97);
		expect(valid).toBeLessThan(1.0001);
		const inel = rows.filter((r) => r.ineligible).length / rows.length;
		expect(inel).toBeGreaterThan(0.003);
		expect(inel).toBeLessThan(0.05);
	});
});
