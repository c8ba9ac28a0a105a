/** Property: random valid rows survive a CSV round trip (papaparse writes, ingest reads) unchanged. */
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { expect, it } from 'vitest';
import { goodFolder, tempDir, writeFolder } from '../../fixtures/ingest/folder.ts';
import { freshDb, load } from './helpers.ts';

const text = fc.string({ unit: fc.constantFrom('a', 'Z', '深', '圳', '📷', ',', '"', '\n', '\r\n', ' ', "'", ';', '=', '-', '\\', 'é'), minLength: 1, maxLength: 12 });
const id = fc.string({ unit: fc.constantFrom('a', 'B', '7', '-', '_', '中', '"', ','), minLength: 1, maxLength: 64 }).filter((s) => s.trim() !== '');
const fen = fc.integer({ min: 1, max: 99_999_999_999 });
/** The same amount written as a person might: 85.5, 85.50, 5000 */
const yuanText = (f: number, style: number) => {
	const y = Math.floor(f / 100);
	const c = f % 100;
	if (style === 0 && c === 0) return String(y);
	if (style === 1 && c % 10 === 0) return `${y}.${c / 10}`;
	return `${y}.${String(c).padStart(2, '0')}`;
};
const instant = fc.integer({ min: Date.UTC(2020, 0, 1) / 1000, max: Date.UTC(2030, 0, 1) / 1000 }).map((s) => s * 1000);
/** An instant written with an offset, Z, or bare (Shanghai). */
const tsText = (ms: number, style: number) => {
	const shanghai = new Date(ms + 8 * 3600_000).toISOString().slice(0, 19);
	if (style === 0) return shanghai.replace('T', ' ');
	if (style === 1) return new Date(ms).toISOString().slice(0, 19) + 'Z';
	return `${shanghai}+08:00`;
};

it('providers and payments survive a CSV round trip; money parses to exact fen', async () => {
	await fc.assert(
		fc.asyncProperty(
			fc.uniqueArray(fc.record({ provider_id: id, name: text }), { selector: (r) => r.provider_id, minLength: 1, maxLength: 8 }),
			fc.array(fc.record({ fen, style: fc.nat(2), at: instant, tsStyle: fc.nat(2) }), { minLength: 1, maxLength: 8 }),
			async (providers, pays) => {
				const dir = tempDir('rt-');
				const g = goodFolder();
				fs.writeFileSync(path.join(dir, 'providers.csv'), Papa.unparse(providers.map((p) => ({ ...p, certified_at: '2024-01-01' }))));
				const payments = pays.map((p, i) => ({ payment_id: `PAY${i}`, seller_id: 'S2', month: '2026-01', paid_at: tsText(p.at, p.tsStyle), amount: yuanText(p.fen, p.style), method: 'bank' }));
				fs.writeFileSync(path.join(dir, 'payments.csv'), Papa.unparse(payments));
				writeFolder({ sellers: [g.sellers![1]] }, {}, dir);
				const db = await freshDb();
				try {
					const { rejects } = await load(db, dir);
					expect(rejects).toEqual([]);
					const got = await db.all<{ provider_id: string; name: string }>('SELECT provider_id, name FROM providers');
					const sort = (xs: { provider_id: string; name: string }[]) => [...xs].sort((a, b) => (a.provider_id < b.provider_id ? -1 : 1));
					expect(sort(got)).toEqual(sort(providers));
					const paid = await db.all<{ amount: number; paid_at: Date }>('SELECT amount, paid_at FROM payments ORDER BY payment_id');
					const want = pays.map((p, i) => ({ i: `PAY${i}`, amount: p.fen, at: p.at })).sort((a, b) => (a.i < b.i ? -1 : 1));
					expect(paid.map((p) => [p.amount, p.paid_at.getTime()])).toEqual(want.map((w) => [w.amount, w.at]));
				} finally {
					await db.close();
				}
			}
		),
		{ numRuns: 25 }
	);
}, 120_000);
