/**
 * The sample generator: deterministic bytes, exactly the contract's files and columns, values of the
 * contract's types, consistent references and milestones, and metrics near the domain's benchmarks.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDBConnection } from '@duckdb/node-api';
import { openProjectDb } from '../../../src/lib/server/db/open.ts';
import type { Db } from '../../../src/lib/server/db/connection.ts';
import { literal } from '../../../src/lib/server/db/connection.ts';
import { LOAD_ORDER, TABLES, type ColumnSpec } from '../../../src/lib/server/db/contract.ts';
import { writeSample } from '../../../src/lib/server/sample/index.ts';
import { loadAsText, scalar, tmpDir } from './helpers.ts';
import { main } from '../../../jobs/sample.ts';

const AS_OF = '2026-11-27';
const dirs: string[] = [];
let small: string; // scale 0.05
let db: Db;

function dir(name: string) {
	const d = tmpDir(name);
	dirs.push(d);
	return d;
}

async function onConn<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
	return db.withConnection(fn);
}

beforeAll(async () => {
	small = dir('small');
	await writeSample({ scale: 0.05, seed: 3, asOf: AS_OF, out: small });
	db = await openProjectDb({ path: ':memory:', connections: 1 });
	await onConn(async (c) => {
		await c.run(`SET VARIABLE as_of = DATE '${AS_OF}'`);
		await loadAsText(c, small);
	});
});

afterAll(async () => {
	await db?.close();
	for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('determinism', () => {
	it('writes identical bytes for the same scale, seed and date', async () => {
		const again = dir('again');
		await writeSample({ scale: 0.05, seed: 3, asOf: AS_OF, out: again });
		for (const t of LOAD_ORDER) {
			expect(fs.readFileSync(path.join(again, `${t}.csv`)).equals(fs.readFileSync(path.join(small, `${t}.csv`))), t).toBe(true);
		}
	});

	it('writes different data for another seed', async () => {
		const other = dir('other');
		await writeSample({ scale: 0.05, seed: 4, asOf: AS_OF, out: other });
		expect(fs.readFileSync(path.join(other, 'orders.csv')).equals(fs.readFileSync(path.join(small, 'orders.csv')))).toBe(false);
	});

	it('writes identical Parquet bytes too, with the contract column names', async () => {
		const a = dir('pa');
		const b = dir('pb');
		await writeSample({ scale: 0.03, seed: 5, asOf: AS_OF, out: a, format: 'parquet' });
		await writeSample({ scale: 0.03, seed: 5, asOf: AS_OF, out: b, format: 'parquet' });
		for (const t of LOAD_ORDER) {
			const fa = path.join(a, `${t}.parquet`);
			expect(fs.readFileSync(fa).equals(fs.readFileSync(path.join(b, `${t}.parquet`))), t).toBe(true);
			const cols = await onConn(async (c) => (await c.runAndReadAll(`SELECT * FROM read_parquet(${literal(fa)}) LIMIT 0`)).columnNames());
			expect(cols).toEqual(TABLES[t].columns.map((x) => x.name));
		}
	});
});

describe('files follow the data contract', () => {
	it('has one CSV per table with exactly the contract columns in order', () => {
		for (const t of LOAD_ORDER) {
			const header = fs.readFileSync(path.join(small, `${t}.csv`), 'utf8').split('\n', 1)[0];
			expect(header, t).toBe(TABLES[t].columns.map((c) => c.name).join(','));
		}
	});

	function pattern(col: ColumnSpec): string {
		const t = col.type;
		if (typeof t === 'object') return `^(${t.enum.join('|')})$`;
		switch (t) {
			case 'id':
				return '^[^\\s].{0,63}$';
			case 'text':
				return '^.+$';
			case 'bool':
				return '^(true|false)$';
			case 'int':
				return '^-?[0-9]+$';
			case 'money':
				return '^[0-9]+(\\.[0-9]{1,2})?$';
			case 'date':
				return '^[0-9]{4}-[0-9]{2}-[0-9]{2}$';
			case 'ts':
				return '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\+08:00$';
			case 'month':
				return '^[0-9]{4}-(0[1-9]|1[0-2])$';
		}
	}

	it('every value matches its column type, bounds and optionality', async () => {
		const bad: string[] = [];
		await onConn(async (c) => {
			for (const t of LOAD_ORDER) {
				for (const col of TABLES[t].columns) {
					const q = `"${col.name}"`;
					const conds = [`(${q} IS NOT NULL AND NOT regexp_full_match(${q}, '${pattern(col)}'))`];
					if (!col.optional) conds.push(`${q} IS NULL`);
					if (col.type === 'date' || col.type === 'ts') conds.push(`(${q} IS NOT NULL AND try_cast(left(${q}, 10) AS DATE) IS NULL)`);
					if (col.min !== undefined) conds.push(`try_cast(${q} AS BIGINT) < ${col.min}`);
					if (col.max !== undefined) conds.push(`try_cast(${q} AS BIGINT) > ${col.max}`);
					const n = await scalar(c, `SELECT count(*) FROM s_${t} WHERE ${conds.join(' OR ')}`);
					if (n) bad.push(`${t}.${col.name}: ${n}`);
				}
			}
			const langs = await scalar(
				c,
				`SELECT count(*) FROM s_orders WHERE languages IS NOT NULL AND (NOT regexp_full_match(languages, '^(en|es|fr|de|pt)(;(en|es|fr|de|pt))*$')
				   OR len(string_split(languages, ';')) <> len(list_distinct(string_split(languages, ';'))))`
			);
			if (langs) bad.push(`orders.languages: ${langs}`);
			const money = await scalar(c, `SELECT (SELECT count(*) FROM s_delistings WHERE claimed_loss::DECIMAL(18,2) <= 0) + (SELECT count(*) FROM s_payments WHERE amount::DECIMAL(18,2) <= 0)`);
			if (money) bad.push(`non-positive money: ${money}`);
		});
		expect(bad).toEqual([]);
	});

	it('keys are unique and references resolve', async () => {
		const checks: Record<string, string> = {
			'sellers key': `SELECT count(*) - count(DISTINCT seller_id) FROM s_sellers`,
			'providers key': `SELECT count(*) - count(DISTINCT provider_id) FROM s_providers`,
			'orders key': `SELECT count(*) - count(DISTINCT order_id) FROM s_orders`,
			'revisions key': `SELECT count(*) - count(DISTINCT (order_id, requested_at)) FROM s_revisions`,
			'disputes key': `SELECT count(*) - count(DISTINCT dispute_id) + count(*) - count(DISTINCT order_id) FROM s_disputes`,
			'delistings key': `SELECT count(*) - count(DISTINCT delisting_id) + count(*) - count(DISTINCT order_id) FROM s_delistings`,
			'ctr key': `SELECT count(*) - count(DISTINCT (sku_id, date)) FROM s_ctr_daily`,
			'payments key': `SELECT count(*) - count(DISTINCT payment_id) FROM s_payments`,
			'order seller': `SELECT count(*) FROM s_orders WHERE seller_id NOT IN (SELECT seller_id FROM s_sellers)`,
			'order provider': `SELECT count(*) FROM s_orders WHERE provider_id NOT IN (SELECT provider_id FROM s_providers)`,
			'licence provider': `SELECT count(*) FROM s_sellers WHERE license_provider_id NOT IN (SELECT provider_id FROM s_providers) OR ((license_from IS NULL) <> (license_provider_id IS NULL))`,
			'revision order': `SELECT count(*) FROM s_revisions WHERE order_id NOT IN (SELECT order_id FROM s_orders)`,
			'dispute order': `SELECT count(*) FROM s_disputes WHERE order_id NOT IN (SELECT order_id FROM s_orders)`,
			'delisting order': `SELECT count(*) FROM s_delistings WHERE order_id NOT IN (SELECT order_id FROM s_orders)`,
			'payment seller': `SELECT count(*) FROM s_payments WHERE seller_id NOT IN (SELECT seller_id FROM s_sellers)`,
			'ordered skus without ctr': `SELECT count(DISTINCT sku_id) FROM s_orders WHERE sku_id NOT IN (SELECT sku_id FROM s_ctr_daily)`
		};
		await onConn(async (c) => {
			for (const [name, sql] of Object.entries(checks)) expect(await scalar(c, sql), name).toBe(0);
		});
	});

	it('milestones never go backwards and the dispute and cancellation rules hold', async () => {
		const ts = (x: string) => `${x}::TIMESTAMPTZ`;
		const chain = ['published_at', 'matched_at', 'first_draft_at', 'delivered_at', 'accepted_at', 'live_at'];
		const pairs: string[] = [];
		for (let i = 0; i < chain.length; i++)
			for (let j = i + 1; j < chain.length; j++) pairs.push(`${ts(chain[j])} < ${ts(chain[i])}`);
		const checks: Record<string, string> = {
			'order chain': `SELECT count(*) FROM s_orders WHERE ${pairs.join(' OR ')}`,
			'chain has no gaps': `SELECT count(*) FROM s_orders WHERE (live_at IS NOT NULL AND accepted_at IS NULL) OR (accepted_at IS NOT NULL AND delivered_at IS NULL)
			   OR (delivered_at IS NOT NULL AND first_draft_at IS NULL) OR (first_draft_at IS NOT NULL AND matched_at IS NULL)`,
			'delivered and cancelled': `SELECT count(*) FROM s_orders WHERE delivered_at IS NOT NULL AND cancelled_at IS NOT NULL`,
			'cancel before publish': `SELECT count(*) FROM s_orders WHERE ${ts('cancelled_at')} < ${ts('published_at')} OR ${ts('cancelled_at')} < ${ts('matched_at')}`,
			'revision outside drafts': `SELECT count(*) FROM s_revisions r JOIN s_orders o USING (order_id)
			   WHERE ${ts('r.requested_at')} < ${ts('o.first_draft_at')} OR ${ts('r.redelivered_at')} < ${ts('r.requested_at')} OR ${ts('o.delivered_at')} < ${ts('r.redelivered_at')}
			      OR (o.delivered_at IS NOT NULL AND r.redelivered_at IS NULL)`,
			'dispute window': `SELECT count(*) FROM s_disputes d JOIN s_orders o USING (order_id)
			   WHERE o.delivered_at IS NULL OR ${ts('d.opened_at')} <= ${ts('o.delivered_at')} OR ${ts('d.opened_at')} > ${ts('o.delivered_at')} + INTERVAL 72 HOUR
			      OR ${ts('d.first_response_at')} < ${ts('d.opened_at')} OR ${ts('d.resolved_at')} < ${ts('d.first_response_at')}
			      OR ((d.resolved_at IS NULL) <> (d.ruling IS NULL))`,
			'refunded went live': `SELECT count(*) FROM s_disputes d JOIN s_orders o USING (order_id) WHERE d.ruling = 'provider_fault' AND (o.live_at IS NOT NULL OR o.accepted_at IS NOT NULL)`,
			'accepted at ruling': `SELECT count(*) FROM s_disputes d JOIN s_orders o USING (order_id) WHERE d.ruling IN ('unclear_requirement', 'rejected') AND o.accepted_at IS DISTINCT FROM d.resolved_at`,
			'auto-accept later than 72 h': `SELECT count(*) FROM s_orders WHERE ${ts('accepted_at')} > ${ts('delivered_at')} + INTERVAL 72 HOUR AND order_id NOT IN (SELECT order_id FROM s_disputes)`,
			'delisting before live': `SELECT count(*) FROM s_delistings l JOIN s_orders o USING (order_id) WHERE o.live_at IS NULL OR ${ts('l.delisted_at')} < ${ts('o.live_at')}
			   OR ${ts('l.accountability_started_at')} < ${ts('l.delisted_at')} OR ${ts('l.compensated_at')} < ${ts('l.delisted_at')}`,
			'clicks above impressions': `SELECT count(*) FROM s_ctr_daily WHERE clicks::INT > impressions::INT`,
			'ctr on or after as_of': `SELECT count(*) FROM s_ctr_daily WHERE date::DATE >= getvariable('as_of')`,
			'anything at or after as_of': `SELECT count(*) FROM s_orders WHERE greatest(${chain.map(ts).join(', ')}, ${ts('cancelled_at')}) >= getvariable('as_of')::TIMESTAMPTZ`,
			'orders before the seller opened': `SELECT count(*) FROM s_orders o JOIN s_sellers s USING (seller_id) WHERE ${ts('o.published_at')} < ${ts('s.service_opened_at')}`
		};
		await onConn(async (c) => {
			for (const [name, sql] of Object.entries(checks)) expect(await scalar(c, sql), name).toBe(0);
		});
	});

	it('the ingest loads every row (no rejects)', async () => {
		const { ingestFolder } = await import('../../../src/lib/server/ingest/index.ts');
		const target = await openProjectDb({ path: ':memory:' });
		try {
			const report = await ingestFolder(target, small, { actor: 'test', loadsDir: dir('loads') });
			const rejected = report.tables.reduce((a, t) => a + t.rejected, 0);
			expect(report.tables.filter((t) => t.error)).toEqual([]);
			expect(rejected).toBe(0);
			const n = await target.one<{ n: number }>('SELECT count(*) AS n FROM orders');
			expect(n?.n).toBe(await onConn((c) => scalar(c, 'SELECT count(*) FROM s_orders')));
		} finally {
			await target.close();
		}
	});
});

describe('npm run sample', () => {
	it('rejects bad arguments with exit code 2', async () => {
		const err = console.error;
		console.error = () => {};
		try {
			expect(await main(['--scale', '-1'])).toBe(2);
			expect(await main(['--as-of', '2026-02-30'])).toBe(2);
			expect(await main(['--format', 'xlsx'])).toBe(2);
			expect(await main(['--bogus', '1'])).toBe(2);
		} finally {
			console.error = err;
		}
	});

	it('writes the folder and exits 0', async () => {
		const out = dir('cli');
		const log = console.log;
		const lines: string[] = [];
		console.log = (m: string) => lines.push(m);
		try {
			expect(await main(['--scale', '0.02', '--seed', '9', '--as-of', AS_OF, '--out', out, '--format', 'parquet'])).toBe(0);
		} finally {
			console.log = log;
		}
		expect(fs.readdirSync(out).sort()).toEqual(LOAD_ORDER.map((t) => `${t}.parquet`).sort());
		expect(lines.some((l) => /ctr_daily\s+[\d,]+ rows/.test(l))).toBe(true);
	});
});
