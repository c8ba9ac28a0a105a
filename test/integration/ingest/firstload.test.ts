/**
 * The first load of an empty table goes straight into the table (fast.ts). With a file of several
 * row groups (loaded by both threads), bad rows and repeated keys anywhere in it are rejected with
 * their right line, exactly the rows they should be are missing, and an unsorted clean file (no
 * run structure to prove its key unique) loads whole.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { writeCtrDaily } from '../../fixtures/ingest/big.ts';
import { tempDir } from '../../fixtures/ingest/folder.ts';
import { freshDb, load, tableRow } from './helpers.ts';

const ROWS = 300_000; // > 2 row groups of 122,880

it('bad rows and repeats deep in a large first load: right lines, right rows left out', async () => {
	const dir = tempDir('first-');
	const file = writeCtrDaily(dir, ROWS);
	const lines = fs.readFileSync(file, 'utf8').split('\n'); // [header, …rows, '']
	// line numbers (header = 1) → replacement record
	const bad = new Map<number, string>([
		[150_001, 'SKU000123,2025-03-16,5,9,0'], // clicks above impressions
		[250_000, lines[1]], // the first record again: a repeated key
		[ROWS + 1, 'SKU001999,2025-06-30,1.5,0,0'] // last line: not an integer
	]);
	const removed = new Map<number, string>();
	for (const [line, rec] of bad) {
		removed.set(line, lines[line - 1]);
		lines[line - 1] = rec;
	}
	fs.writeFileSync(file, lines.join('\n'));
	const db = await freshDb();
	try {
		const { report, rejects } = await load(db, dir);
		expect(rejects.map((r) => [r.line, r.column, r.reason])).toEqual([
			['150001', 'clicks', 'clicks above impressions'],
			['250000', 'sku_id', 'key (sku_id, date) repeated in the file; its first occurrence loads'],
			[String(ROWS + 1), 'impressions', 'not an integer']
		]);
		expect(tableRow(report, 'ctr_daily')).toMatchObject({ read: ROWS, rejected: 3, loaded: ROWS - 3 });
		const n = await db.one<{ n: number; first: number }>(
			"SELECT count(*)::BIGINT AS n, count(*) FILTER (WHERE sku_id = 'SKU000000' AND date = DATE '2025-01-01')::BIGINT AS first FROM ctr_daily"
		);
		expect(n).toEqual({ n: ROWS - 3, first: 1 });
		// the records the bad ones replaced are absent, their neighbours present
		for (const line of [150_001, 250_000, ROWS + 1]) {
			const [sku, date] = removed.get(line)!.split(',');
			const [nsku, ndate] = lines[line].split(',').length > 1 ? lines[line].split(',') : lines[line - 2].split(',');
			const got = await db.one<{ gone: number; near: number }>(
				'SELECT count(*) FILTER (WHERE sku_id = $sku AND date = $date::DATE)::BIGINT AS gone, count(*) FILTER (WHERE sku_id = $nsku AND date = $ndate::DATE)::BIGINT AS near FROM ctr_daily',
				{ sku, date, nsku, ndate }
			);
			expect(got).toEqual({ gone: 0, near: 1 });
		}
		expect(await db.one('SELECT count(*)::BIGINT AS n FROM ctr_daily WHERE _load_id <> $id', { id: report.loadId })).toEqual({ n: 0 });
	} finally {
		await db.close();
	}
}, 120_000);

it('an unsorted clean file loads whole; its repeat found by grouping is rejected', async () => {
	const dir = tempDir('first-');
	const rows = Array.from({ length: 5000 }, (_, i) => {
		const k = (i * 7919) % 5000; // a permutation: neither runs nor order
		return `SKU${k % 97},${new Date(Date.UTC(2025, 0, 1) + Math.floor(k / 97) * 86_400_000).toISOString().slice(0, 10)},10,1,0`;
	});
	fs.writeFileSync(path.join(dir, 'ctr_daily.csv'), ['sku_id,date,impressions,clicks,add_to_cart', ...rows].join('\n') + '\n');
	const db = await freshDb();
	try {
		const first = await load(db, dir);
		expect(first.rejects).toEqual([]);
		expect(tableRow(first.report, 'ctr_daily')).toMatchObject({ read: 5000, loaded: 5000 });
	} finally {
		await db.close();
	}
	fs.appendFileSync(path.join(dir, 'ctr_daily.csv'), rows[10] + '\n');
	const db2 = await freshDb();
	try {
		const again = await load(db2, dir);
		expect(again.rejects.map((r) => [r.line, r.reason])).toEqual([['5002', 'key (sku_id, date) repeated in the file; its first occurrence loads']]);
		expect(tableRow(again.report, 'ctr_daily')).toMatchObject({ read: 5001, loaded: 5000 });
	} finally {
		await db2.close();
	}
}, 60_000);
