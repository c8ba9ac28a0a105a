/** Valid oddities load verbatim; upsert by key; loading twice changes nothing. */
import { describe, expect, it } from 'vitest';
import { goodFolder, order, writeFolder } from '../../fixtures/ingest/folder.ts';
import { freshDb, load, snapshot, tableRow } from './helpers.ts';

describe('valid oddities', () => {
	it('quoted newlines, doubled quotes, Chinese, emoji, BOM, CRLF, SQL-looking text load verbatim; lines after a multi-line record stay right', async () => {
		const providers =
			'\ufeffprovider_id,name,certified_at,note\r\n' +
			'P1,"深圳光影工作室 📷",2024-01-15,x\r\n' +
			'P2,"line one\r\nline two\nline ""three""",2024-06-01,\r\n' +
			`P3,"x'); DROP TABLE orders;--",2024-06-02,\r\n` +
			'P4,Bad Date,2024-13-01,\r\n' +
			'P5,"=1+1",2024-06-03,\r\n';
		const db = await freshDb();
		try {
			const { report, rejects } = await load(db, writeFolder({}, { 'providers.csv': providers }));
			expect(tableRow(report, 'providers')).toMatchObject({ read: 5, loaded: 4, rejected: 1 });
			expect(rejects).toMatchObject([{ file: 'providers.csv', line: '7', column: 'certified_at', value: '2024-13-01' }]);
			expect(report.findings).toMatchObject([{ kind: 'extra_columns', file: 'providers.csv' }]);
			const rows = await db.all<{ provider_id: string; name: string }>('SELECT provider_id, name FROM providers ORDER BY provider_id');
			expect(rows.map((r) => r.name)).toEqual(['深圳光影工作室 📷', 'line one\r\nline two\nline "three"', "x'); DROP TABLE orders;--", '=1+1']);
			expect((await db.all('SELECT * FROM orders')).length).toBe(0); // still there, still empty
		} finally {
			await db.close();
		}
	});

	it('timestamps with and without offsets, 1/0 booleans, languages as a list', async () => {
		const folder = goodFolder();
		folder.orders = [
			order({ order_id: 'A', published_at: '2026-03-01 00:30:00', matched_at: '2026-03-01T00:40:00+08:00', first_draft_at: '2026-02-28T17:00:00Z', rush: '1', store_license: 'TRUE', languages: 'en; fr' }),
			order({ order_id: 'B', published_at: '2026-03-01T00:30:00+0800', matched_at: '2026-03-01T00:30:00+08', first_draft_at: '', rush: '0', languages: '' })
		];
		const db = await freshDb();
		try {
			const { rejects } = await load(db, writeFolder({ providers: folder.providers, sellers: folder.sellers, orders: folder.orders }));
			expect(rejects).toEqual([]);
			const rows = await db.all<{ order_id: string; published_at: Date; first_draft_at: Date | null; rush: boolean; store_license: boolean; languages: string[] }>(
				'SELECT order_id, published_at, first_draft_at, rush, store_license, languages FROM orders ORDER BY order_id'
			);
			expect(rows[0].published_at.toISOString()).toBe('2026-02-28T16:30:00.000Z');
			expect(rows[0].first_draft_at?.toISOString()).toBe('2026-02-28T17:00:00.000Z');
			expect(rows[1].published_at.toISOString()).toBe('2026-02-28T16:30:00.000Z');
			expect([rows[0].rush, rows[0].store_license, rows[1].rush]).toEqual([true, true, false]);
			expect(rows.map((r) => r.languages)).toEqual([['en', 'fr'], []]);
		} finally {
			await db.close();
		}
	});

	it('money becomes exact fen', async () => {
		const folder = goodFolder();
		folder.payments = ['0.01', '85.5', '227.97', '5000', '1234567890123.99', '0.10'].map((amount, i) => ({
			payment_id: `PAY${i}`,
			seller_id: 'S1',
			month: '2026-02',
			paid_at: '2026-03-08 10:00:00',
			amount,
			method: 'bank'
		}));
		const db = await freshDb();
		try {
			await load(db, writeFolder({ providers: folder.providers, sellers: folder.sellers, payments: folder.payments }));
			const rows = await db.all<{ amount: number }>('SELECT amount FROM payments ORDER BY payment_id');
			expect(rows.map((r) => r.amount)).toEqual([1, 8550, 22797, 500000, 123456789012399, 10]);
		} finally {
			await db.close();
		}
	});
});

describe('upsert by key', () => {
	it('loading the same folder twice changes nothing', async () => {
		const db = await freshDb();
		try {
			const dir = writeFolder(goodFolder());
			const first = await load(db, dir);
			expect(first.report.status).toBe('ok');
			const before = await snapshot(db, true);
			const second = await load(db, dir);
			expect(second.report.status).toBe('unchanged');
			for (const t of second.report.tables) expect([t.table, t.loaded, t.replaced, t.unchanged]).toEqual([t.table, 0, 0, t.read]);
			expect(await snapshot(db, true)).toEqual(before); // _load_id kept too
			const loads = await db.all<{ status: string; actor: string }>('SELECT status, actor FROM loads ORDER BY load_id');
			expect(loads).toEqual([
				{ status: 'ok', actor: 'test' },
				{ status: 'unchanged', actor: 'test' }
			]);
			expect((await db.all(`SELECT * FROM audit_log WHERE action = 'load'`)).length).toBe(2);
		} finally {
			await db.close();
		}
	});

	it('a newer export replaces rows by key and keeps the rest', async () => {
		const db = await freshDb();
		try {
			const first = await load(db, writeFolder(goodFolder()));
			const g = goodFolder();
			const changed = { ...g.orders![1], delivered_at: '2026-03-05T03:00:00Z' };
			const added = order({ order_id: 'O5', seller_id: 'S1', provider_id: 'P2', sku_id: 'SKU5' });
			const { report } = await load(db, writeFolder({ orders: [g.orders![0], changed, added] }));
			expect(tableRow(report, 'orders')).toMatchObject({ read: 3, loaded: 1, replaced: 1, unchanged: 1, rejected: 0 });
			expect(report.status).toBe('ok');
			const rows = await db.all<{ order_id: string; delivered_at: Date | null; _load_id: number }>('SELECT order_id, delivered_at, _load_id FROM orders ORDER BY order_id');
			expect(rows.map((r) => [r.order_id, r._load_id])).toEqual([
				['O1', first.report.loadId],
				['O2', report.loadId],
				['O3', first.report.loadId],
				['O4', first.report.loadId],
				['O5', report.loadId]
			]);
			expect(rows[1].delivered_at?.toISOString()).toBe('2026-03-05T03:00:00.000Z');
		} finally {
			await db.close();
		}
	});
});
