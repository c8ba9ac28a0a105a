/**
 * The binned quantiles (preagg/rollup-quantiles.ts) give the very doubles of DuckDB's
 * quantile_cont over the hours ((µs / 1e6) / 3600.0) of the same rows: random groups of durations
 * (ties, negative, single values, values on bin edges, whole seconds and odd microseconds), split
 * between stored bins and edge rows, for the month and the provider bins.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/lib/server/db/connection.ts';
import { openProjectDb } from '../../../src/lib/server/db/open.ts';
import { binnedQuantilesCtes, QBIN_WIDTH, qbinsBuildSql, type QbinLevel } from '../../../src/lib/server/preagg/rollup-quantiles.ts';

let db: Db;
beforeAll(async () => {
	db = await openProjectDb({ path: ':memory:' });
});
afterAll(async () => {
	await db?.close();
});

const H = 3_600_000_000;
/** a duration in µs: around the bin edges of both levels, or anywhere in ±300 h */
const duration = fc.oneof(
	fc.integer({ min: -300 * 3600, max: 300 * 3600 }).map((s) => s * 1_000_000),
	fc.bigInt({ min: -300n * BigInt(H), max: 300n * BigInt(H) }).map(Number),
	fc.tuple(fc.integer({ min: -20, max: 20 }), fc.integer({ min: -2, max: 2 }), fc.boolean()).map(([k, e, p]) => k * (p ? QBIN_WIDTH.provider : QBIN_WIDTH.coarse) + e)
);
const row = fc.record({ month: fc.constantFrom('2026-01', '2026-02', '2026-03'), provider_id: fc.constantFrom('P1', 'P2', 'P3', null), hours_us: duration, edge: fc.boolean() });
const FRACTIONS = ['0.5', '0.9', '0.99'];

async function check(rows: { month: string; provider_id: string | null; hours_us: number; edge: boolean }[], level: QbinLevel, group: 'month' | 'provider_id' | null) {
	await db.run('CREATE OR REPLACE TEMP TABLE qh (month VARCHAR, provider_id VARCHAR, hours_us BIGINT, edge BOOLEAN)');
	if (rows.length) {
		const values = rows.map((_, i) => `($m${i}, $p${i}, $h${i}, $e${i})`).join(', ');
		const params: Record<string, unknown> = {};
		rows.forEach((r, i) => Object.assign(params, { [`m${i}`]: r.month, [`p${i}`]: r.provider_id, [`h${i}`]: r.hours_us, [`e${i}`]: r.edge }));
		await db.run(`INSERT INTO qh VALUES ${values}`, params);
	}
	await db.run(`CREATE OR REPLACE TEMP TABLE qh_stored AS SELECT month, provider_id, hours_us FROM qh WHERE NOT edge`);
	await db.run(`CREATE OR REPLACE TEMP TABLE qb AS ${qbinsBuildSql('qh_stored', level, 'all')}`);
	const g = group ? `"${group}"` : null;
	// the edge rows as the compiler gives them: the group column and c_hours_us; the months in range are 2026-01…02
	const sql = `WITH edge AS (SELECT month, provider_id, hours_us AS c_hours_us FROM qh WHERE edge AND month BETWEEN '2026-01' AND '2026-02')
${binnedQuantilesCtes({ table: 'qb', level, group: g, groupAs: group ? 'grp' : null, where: [`"month" BETWEEN '2026-01' AND '2026-02'`], edge: true, fractions: FRACTIONS })}
SELECT ${group ? 'grp' : 'NULL AS grp'}, "_q" FROM hol ORDER BY 1`;
	const got = await db.all<{ grp: string | null; _q: number[] }>(sql);
	const want = await db.all<{ grp: string | null; _q: number[] }>(
		`SELECT ${g ?? 'NULL'} AS grp, quantile_cont((hours_us / 1e6) / 3600.0, [${FRACTIONS.join(', ')}]) AS "_q" FROM qh
		 WHERE month BETWEEN '2026-01' AND '2026-02' GROUP BY ALL ORDER BY 1`
	);
	// (no durations: quantile_cont's one NULL total row, no row here — the compiler LEFT JOINs it)
	expect(got).toEqual(want.filter((w) => w._q !== null));
}

describe('binned quantiles', () => {
	it('= quantile_cont over the same rows (total, by month: month bins; by provider: provider bins)', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(row, { maxLength: 60 }), async (rows) => {
				await check(rows, 'coarse', null);
				await check(rows, 'coarse', 'month');
				await check(rows, 'provider', 'provider_id');
				await check(rows, 'provider', null);
			}),
			{ numRuns: 60 }
		);
	}, 120_000);

	it('hand-worked: four values 0, 1, 2, 10 h → p50 = 1.5 h, p90 = 2 + 0.7·8 = 7.6 h', async () => {
		const rows = [0, 1, 2, 10].map((h, i) => ({ month: '2026-01', provider_id: 'P1', hours_us: h * H, edge: i === 3 }));
		await check(rows, 'coarse', null);
		const r = await db.all<{ _q: number[] }>(`WITH edge AS (SELECT month, provider_id, hours_us AS c_hours_us FROM qh WHERE edge)
${binnedQuantilesCtes({ table: 'qb', level: 'coarse', group: null, groupAs: null, where: ['true'], edge: true, fractions: ['0.5', '0.9'] })}
SELECT "_q" FROM hol`);
		expect(r[0]._q[0]).toBe(1.5);
		expect(r[0]._q[1]).toBeCloseTo(7.6, 12);
	});
});
