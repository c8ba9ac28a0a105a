/**
 * The overview's KPI tiles are ordinary compiled requests (overview.ts compileOverview), so the
 * monthly rollups serve them: the same figures as with the rollups off (the raw rows, which the
 * tiles' pages are tested against), whole months and edge days, filters, compare, a seller's own;
 * the CTR tile equals the CTR page's total.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/lib/server/db/connection.ts';
import { openProjectDb } from '../../../src/lib/server/db/open.ts';
import { writeSample } from '../../../src/lib/server/sample/index.ts';
import { ingestFolder } from '../../../src/lib/server/ingest/index.ts';
import { ensurePreaggregates, preaggFresh, setRollupsDisabled } from '../../../src/lib/server/preagg/index.ts';
import { runMetric } from '../../../src/lib/server/metrics/run.ts';
import type { MetricRequest } from '../../../src/lib/server/metrics/request.ts';

let db: Db;
let dir: string;
let seller: string;
let provider: string;
const TODAY = '2026-11-15';

beforeAll(async () => {
	dir = fs.mkdtempSync(path.join(os.tmpdir(), 'overview-rollups-'));
	await writeSample({ scale: 0.03, seed: 5, asOf: TODAY, out: dir });
	db = await openProjectDb({ path: ':memory:' });
	await ingestFolder(db, dir);
	await ensurePreaggregates(db);
	expect(await preaggFresh(db)).toBe(true);
	seller = (await db.all<{ s: string }>(`SELECT seller_id AS s FROM orders GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`))[0].s;
	provider = (await db.all<{ p: string }>(`SELECT provider_id AS p FROM orders GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`))[0].p;
}, 240_000);

afterEach(() => setRollupsDisabled(false));

afterAll(async () => {
	setRollupsDisabled(false);
	await db?.close();
	if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const CASES: { name: string; req: () => MetricRequest; seller?: boolean; rollup: boolean }[] = [
	{ name: 'whole quarter, compare', req: () => ({ metric: 'overview', range: { from: '2026-04-01', to: '2026-06-30' }, compare: true }), rollup: true },
	{ name: 'edge days, compare', req: () => ({ metric: 'overview', range: { from: '2026-03-17', to: '2026-07-09' }, compare: true }), rollup: true },
	{ name: 'categories filtered', req: () => ({ metric: 'overview', range: { from: '2026-02-01', to: '2026-08-31' }, filters: { category: ['jewelry', 'home', 'apparel'], formFilled: true } }), rollup: true },
	{ name: 'one provider, compare', req: () => ({ metric: 'overview', range: { from: '2026-05-01', to: '2026-09-30' }, filters: { provider: [provider] }, compare: true }), rollup: true },
	{ name: 'no whole month', req: () => ({ metric: 'overview', range: { from: '2026-06-03', to: '2026-06-20' }, compare: true }), rollup: false },
	{ name: "a seller's own", req: () => ({ metric: 'overview', range: { from: '2026-03-01', to: '2026-08-31' }, compare: true }), seller: true, rollup: false }
];

describe('overview from compiled requests', () => {
	it.each(CASES)('$name: rollups on = rollups off', async ({ req, seller: scoped, rollup }) => {
		const scope = { sellerId: scoped ? seller : null };
		const seen: string[] = [];
		const rec = { all: <T,>(sql: string, p: Record<string, unknown>) => (seen.push(sql), db.all<T>(sql, p)) } as unknown as Db;
		const on = await runMetric(rec, req(), scope, { today: TODAY });
		expect(seen.some((q) => /FROM rollup_/.test(q))).toBe(rollup);
		setRollupsDisabled(true);
		const seenOff: string[] = [];
		const recOff = { all: <T,>(sql: string, p: Record<string, unknown>) => (seenOff.push(sql), db.all<T>(sql, p)) } as unknown as Db;
		const off = await runMetric(recOff, req(), scope, { today: TODAY });
		expect(seenOff.some((q) => /FROM rollup_/.test(q))).toBe(false);
		expect(on).toEqual(off);
		// the figures are real: every tile has a value, and compare gives previous values
		const tiles = on.rows as unknown as { key: string; value: number | null; previous?: number | null }[];
		expect(tiles.map((t) => t.key)).toContain('on_time_attainment');
		expect(tiles.filter((t) => t.value !== null && t.value !== 0).length).toBeGreaterThan(8);
	});

	it('the CTR tile is the CTR page total (ratio of sums over measurable orders)', async () => {
		const range = { from: '2026-03-01', to: '2026-08-31' };
		const ov = await runMetric(db, { metric: 'overview', range, compare: true }, { sellerId: null }, { today: TODAY });
		const ctr = await runMetric(db, { metric: 'ctr', range, compare: true }, { sellerId: null }, { today: TODAY });
		const tile = (k: string) => (ov.rows as unknown as { key: string; value: number; previous: number }[]).find((t) => t.key === k)!;
		expect(tile('ctr_lift').value).not.toBeNull();
		expect(tile('ctr_lift').value).toBeCloseTo(ctr.total!.ctr_lift as number, 12);
		expect(tile('atc_lift').value).toBeCloseTo(ctr.total!.atc_lift as number, 12);
		expect(tile('ctr_lift').previous).toBeCloseTo(ctr.previous!.total!.ctr_lift as number, 12);
		// and the ratio of the summed clicks and impressions, as the tile's definition says
		const t = ctr.total!;
		const want = (t.result_clicks as number) / (t.result_impressions as number) / ((t.baseline_clicks as number) / (t.baseline_impressions as number)) - 1;
		expect(tile('ctr_lift').value).toBe(want);
	});
});
