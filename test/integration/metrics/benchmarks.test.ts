/**
 * On the sample data (scale 0.3, seed 1, as of 2026-11-15) the headline metrics land within
 * ±15% of the platform benchmarks the generator is calibrated to (domain.md).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/lib/server/db/connection.ts';
import { openProjectDb } from '../../../src/lib/server/db/open.ts';
import { writeSample } from '../../../src/lib/server/sample/index.ts';
import { ingestFolder } from '../../../src/lib/server/ingest/index.ts';
import { runMetric } from '../../../src/lib/server/metrics/run.ts';
import { BENCHMARKS } from '../../../src/lib/server/metrics/defs.ts';

let db: Db;
let dir: string;
const ALL = { sellerId: null };
const opts = { today: '2026-11-15' };

beforeAll(async () => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metrics-sample-'));
	await writeSample({ scale: 0.3, seed: 1, asOf: '2026-11-15', out: dir });
	db = await openProjectDb({ path: ':memory:' });
	await ingestFolder(db, dir);
}, 180_000);

afterAll(async () => {
	await db?.close();
	if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const within = (value: unknown, target: number) => {
	expect(typeof value).toBe('number');
	expect(Math.abs((value as number) / target - 1)).toBeLessThanOrEqual(0.15);
};

describe('headline metrics on sample data', () => {
	it('rework rate ≈ 11.3%', async () => within((await runMetric(db, { metric: 'rework' }, ALL, opts)).total!.rework_rate, BENCHMARKS.reworkRate));
	it('first draft ≈ 42.6 h', async () => within((await runMetric(db, { metric: 'sla', sla: 'first_draft' }, ALL, opts)).total!.mean_hours, BENCHMARKS.firstDraftHours));
	it('arbitration ≈ 31.2 h', async () => within((await runMetric(db, { metric: 'sla', sla: 'arbitration' }, ALL, opts)).total!.mean_hours, BENCHMARKS.arbitrationHours));
	it('CTR lift ≈ +37.2%, add-to-cart ≈ +28.5%', async () => {
		const r = await runMetric(db, { metric: 'ctr' }, ALL, opts);
		within(r.total!.ctr_lift, BENCHMARKS.ctrLift);
		within(r.total!.atc_lift, BENCHMARKS.atcLift);
	});
});
