/**
 * Parquet input: typed columns (BIGINT, DECIMAL(18,2), DATE, TIMESTAMPTZ, BOOLEAN) and all-VARCHAR
 * files give the same rejects (position = 1-based row) and load the same rows as the CSV they were
 * made from; the sample generator's Parquet output loads without a reject.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeSample } from '../../../src/lib/server/sample/index.ts';
import { goodFolder, seller, tempDir, writeFolder, type Folder } from '../../fixtures/ingest/folder.ts';
import { csvFolderToParquet } from '../../fixtures/ingest/parquet.ts';
import { freshDb, load, snapshot, type Reject } from './helpers.ts';

/** The good folder plus bad rows a typed Parquet file can still hold (range, rule, repeat, blank, empty). */
function folderWithBadRows(): Folder {
	const f = goodFolder();
	f.providers!.push({ provider_id: '   ', name: 'Blank', certified_at: '2024-01-01' }, { provider_id: 'P1', name: 'Again', certified_at: '2024-02-01' });
	f.sellers!.push(seller({ seller_id: 'S9', store_level: '6' }));
	f.ctr_daily!.push(
		{ sku_id: 'SKU2', date: '2026-03-01', impressions: '5', clicks: '9', add_to_cart: '0' },
		{ sku_id: 'SKU3', date: '2026-03-01', impressions: '-5', clicks: '0', add_to_cart: '0' },
		{ sku_id: 'SKU1', date: '2026-03-01', impressions: '7', clicks: '1', add_to_cart: '0' },
		{ sku_id: 'SKU4', date: '', impressions: '7', clicks: '1', add_to_cart: '0' }
	);
	f.payments!.push({ payment_id: 'PAY2', seller_id: 'S1', month: '2026-02', paid_at: '2026-03-09 10:00:00', amount: '0', method: 'bank' });
	f.orders![3] = { ...f.orders![3], image_count: '0' };
	return f;
}

/** What must match between formats: the file's table, position, column and reason. */
const key = (r: Reject) => `${r.file.replace(/\.(csv|parquet)$/, '')} ${r.line} ${r.column} ${r.reason}`;
const asRows = (rs: Reject[]) => rs.map((r) => ({ ...r, line: String(Number(r.line) - 1) })); // CSV line = row + 1 (header), one line per record here

async function loadFolder(dir: string) {
	const db = await freshDb();
	try {
		const { report, rejects } = await load(db, dir);
		return { report, rejects, snap: await snapshot(db) };
	} finally {
		await db.close();
	}
}

describe('Parquet', () => {
	it('typed and all-VARCHAR Parquet give the rejects and rows of the CSV they came from', async () => {
		const csvDir = writeFolder(folderWithBadRows());
		const typedDir = tempDir('pq-typed-');
		const textDir = tempDir('pq-text-');
		const db = await freshDb();
		try {
			await csvFolderToParquet(db, csvDir, typedDir, 'typed');
			await csvFolderToParquet(db, csvDir, textDir, 'varchar');
		} finally {
			await db.close();
		}
		const csv = await loadFolder(csvDir);
		const typed = await loadFolder(typedDir);
		const text = await loadFolder(textDir);

		expect(asRows(csv.rejects).map(key)).toEqual([
			'providers 3 provider_id id is blank',
			'providers 4 provider_id provider_id repeated in the file; its first occurrence loads',
			'sellers 3 store_level must be at most 5',
			'orders 4 image_count must be at least 1',
			'ctr_daily 4 clicks clicks above impressions',
			'ctr_daily 5 impressions must be at least 0',
			'ctr_daily 6 sku_id key (sku_id, date) repeated in the file; its first occurrence loads',
			'ctr_daily 7 date required value is empty',
			'payments 2 amount amount must be greater than 0'
		]);
		for (const pq of [typed, text]) {
			expect(pq.rejects.map(key)).toEqual(asRows(csv.rejects).map(key));
			expect(pq.rejects.every((r) => r.file.endsWith('.parquet'))).toBe(true);
			expect(pq.report.tables.every((t) => t.format === 'parquet' && t.position === 'row')).toBe(true);
			expect(pq.report.tables.map((t) => [t.table, t.read, t.loaded, t.rejected])).toEqual(
				csv.report.tables.map((t) => [t.table, t.read, t.loaded, t.rejected])
			);
			expect(pq.snap).toEqual(csv.snap);
		}
		// the good rows really are there: exact fen, Shanghai times
		expect(JSON.parse(typed.snap.payments)).toEqual([
			expect.objectContaining({ payment_id: 'PAY1', amount: 22797, paid_at: '2026-03-08T07:30:00.000Z' })
		]);
		expect(JSON.parse(typed.snap.ctr_daily)).toHaveLength(3);
	}, 60_000);

	it('an all-VARCHAR Parquet file gets the text checks (not an integer, not a date)', async () => {
		const f = goodFolder();
		f.ctr_daily!.push(
			{ sku_id: 'SKU5', date: '2026-03-01', impressions: '1.5', clicks: '0', add_to_cart: '0' },
			{ sku_id: 'SKU6', date: '2026/03/01', impressions: '1', clicks: '0', add_to_cart: '0' }
		);
		const csvDir = writeFolder({ ctr_daily: f.ctr_daily });
		const textDir = tempDir('pq-text-');
		const db = await freshDb();
		try {
			await csvFolderToParquet(db, csvDir, textDir, 'varchar');
		} finally {
			await db.close();
		}
		const { rejects, snap } = await loadFolder(textDir);
		expect(rejects.map(key)).toEqual(['ctr_daily 4 impressions not an integer', 'ctr_daily 5 date not a date (YYYY-MM-DD)']);
		expect(rejects.map((r) => r.value)).toEqual(['1.5', '2026/03/01']);
		expect(snap.ctr_daily).toEqual((await loadFolder(writeFolder({ ctr_daily: goodFolder().ctr_daily }))).snap.ctr_daily);
	}, 60_000);

	it("the sample generator's Parquet output loads with zero rejects", async () => {
		const out = path.join(tempDir('pq-sample-'), 'data');
		await writeSample({ scale: 0.05, seed: 1, asOf: '2026-11-15', out, format: 'parquet' });
		const { report, rejects } = await loadFolder(out);
		expect(rejects).toEqual([]);
		expect(report.status).toBe('ok');
		expect(report.tables).toHaveLength(8);
		for (const t of report.tables) {
			expect(t.format).toBe('parquet');
			expect(t.error).toBeUndefined();
			expect(t.loaded).toBe(t.read);
		}
		expect(report.tables.find((t) => t.table === 'ctr_daily')!.read).toBeGreaterThan(10_000);
	}, 120_000);
});
