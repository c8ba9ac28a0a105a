/**
 * A small hand-worked data set for the access tests: three sellers, orders of seller S_A in every
 * API status, a few of S_B (one with an SQL-looking id), none of S_C. "Now" is 2026-11-27 12:00
 * Asia/Shanghai (TODAY=2026-11-27).
 */
import type { Db } from '../../../src/lib/server/db/connection.ts';
import { literal } from '../../../src/lib/server/db/connection.ts';
import { openProjectDb } from '../../../src/lib/server/db/open.ts';

export const NOW = new Date('2026-11-27T12:00:00+08:00');
export const TODAY = '2026-11-27';
export const EVIL_ID = "B03' OR '1'='1";

type O = [id: string, seller: string, cat: string, type: string, n: number, rush: boolean, langs: string[], lic: boolean,
	pub: string, matched?: string | null, fd?: string | null, del?: string | null, acc?: string | null, live?: string | null, cancelled?: string | null];

const ts = (s: string | null | undefined) => (s ? `TIMESTAMPTZ '2026-${s}:00+08:00'` : 'NULL');

// [id, seller, category, image_type, count, rush, languages, licence, published, matched, first draft, delivered, accepted, live, cancelled]
export const ORDERS: O[] = [
	['A01', 'S_A', 'apparel', 'main', 2, false, [], false, '11-01 10:00', '11-01 12:00', null, null, null, null, '11-02 09:00'],
	['A02', 'S_A', 'home', 'scene', 1, false, [], false, '10-01 10:00', '10-01 11:00', '10-03 10:00', '10-05 10:00'],
	['A03', 'S_A', 'toys', 'main', 3, false, ['de'], false, '11-20 10:00', '11-20 11:00', '11-22 10:00', '11-24 10:00'],
	['A04', 'S_A', 'jewelry', 'main', 1, true, ['en'], true, '10-10 10:00', '10-10 11:00', '10-11 09:00', '10-11 10:00', '10-12 10:00', '10-13 10:00'],
	['A05', 'S_A', 'beauty', 'main', 1, false, [], false, '11-10 10:00', '11-10 11:00', '11-15 10:00', '11-20 10:00', '11-21 15:30'],
	['A06', 'S_A', 'beauty', 'scene', 1, false, [], false, '11-10 10:00', '11-10 11:00', '11-15 10:00', '11-20 10:00'],
	['A07', 'S_A', 'electronics', 'main', 1, false, [], false, '11-20 10:00', '11-20 11:00', '11-22 10:00', '11-26 10:00'],
	['A08', 'S_A', 'home', 'main', 1, false, [], false, '11-20 10:00', '11-20 11:00', '11-22 10:00'],
	['A09', 'S_A', 'home', 'main', 1, false, [], false, '11-26 09:00', '11-26 10:00'],
	['A10', 'S_A', 'home', 'main', 1, false, [], false, '11-27 08:00'],
	['A11', 'S_A', 'shoes_bags', 'main', 1, false, [], false, '10-25 10:00', '10-25 11:00', '10-28 10:00', '11-01 10:00'],
	['A12', 'S_A', 'toys', 'scene', 1, false, [], false, '11-20 10:00', '11-20 11:00', '11-24 10:00'],
	['B01', 'S_B', 'apparel', 'main', 1, false, [], false, '11-10 10:00', '11-10 11:00', '11-15 10:00', '11-20 10:00'],
	['B02', 'S_B', 'jewelry', 'scene', 2, false, ['fr'], false, '10-10 10:00', '10-10 11:00', '10-11 09:00', '10-11 10:00', '10-12 10:00', '10-13 10:00'],
	[EVIL_ID, 'S_B', 'home', 'main', 1, false, [], false, '11-26 09:00']
];

/** What the API must say for S_A's orders (status, updated_at in Shanghai time). */
export const EXPECTED_A: Record<string, { status: string; updated_at: string }> = {
	A01: { status: 'cancelled', updated_at: '2026-11-02T09:00:00+08:00' },
	A02: { status: 'refunded', updated_at: '2026-10-07T10:00:00+08:00' },
	A03: { status: 'disputed', updated_at: '2026-11-25T10:00:00+08:00' },
	A04: { status: 'live', updated_at: '2026-10-13T10:00:00+08:00' },
	A05: { status: 'accepted', updated_at: '2026-11-21T15:30:00+08:00' },
	A06: { status: 'accepted', updated_at: '2026-11-23T10:00:00+08:00' }, // delivered 11-20 10:00 + 72 h, passed
	A07: { status: 'delivered', updated_at: '2026-11-26T10:00:00+08:00' }, // + 72 h is after now
	A08: { status: 'in_revision', updated_at: '2026-11-23T10:00:00+08:00' },
	A09: { status: 'matched', updated_at: '2026-11-26T10:00:00+08:00' },
	A10: { status: 'published', updated_at: '2026-11-27T08:00:00+08:00' },
	A11: { status: 'accepted', updated_at: '2026-11-03T10:00:00+08:00' }, // dispute ruled 'rejected'
	A12: { status: 'matched', updated_at: '2026-11-25T12:00:00+08:00' } // its revision came back
};

export async function seed(db: Db): Promise<void> {
	await db.run(`INSERT INTO sellers
		SELECT s, 'Seller ' || s, '91440300MA5XXXXXXX', 'enterprise', true, 4, 'shenzhen', TIMESTAMPTZ '2024-01-01 00:00:00+08:00',
		       false, NULL, NULL, 'Seller ' || s, NULL, NULL, NULL, NULL, 0
		  FROM (VALUES ('S_A'), ('S_B'), ('S_C')) t(s)`);
	await db.run(`INSERT INTO providers VALUES ('P1', 'Studio One', DATE '2024-01-01', 0)`);
	const rows = ORDERS.map(
		([id, seller, cat, type, n, rush, langs, lic, pub, m, fd, del, acc, live, cancelled]) =>
			`(${literal(id)}, ${literal(seller)}, 'P1', ${literal('SKU-' + id)}, '${cat}', '${type}', ${n}, ${rush}, ` +
			`[${langs.map(literal).join(',')}]::VARCHAR[], ${lic}, 5, 1, false, true, ${ts(pub)}, ${ts(m)}, ${ts(fd)}, ${ts(del)}, ${ts(acc)}, ${ts(live)}, ${ts(cancelled)}, 0)`
	);
	await db.run(`INSERT INTO orders VALUES ${rows.join(',\n')}`);
	await db.run(`INSERT INTO revisions VALUES
		('A08', ${ts('11-22 12:00')}, 'R03', ${ts('11-22 18:00')}, 0),
		('A08', ${ts('11-23 10:00')}, 'R05', NULL, 0),
		('A12', ${ts('11-24 12:00')}, 'R02', ${ts('11-25 12:00')}, 0)`);
	await db.run(`INSERT INTO disputes VALUES
		('D02', 'A02', ${ts('10-06 10:00')}, 'R03', ${ts('10-06 11:00')}, ${ts('10-07 10:00')}, 'provider_fault', 0),
		('D03', 'A03', ${ts('11-25 09:00')}, 'R01', ${ts('11-25 10:00')}, NULL, NULL, 0),
		('D11', 'A11', ${ts('11-02 10:00')}, 'R06', ${ts('11-02 11:00')}, ${ts('11-03 10:00')}, 'rejected', 0)`);
}

export async function seededDb(): Promise<Db> {
	const db = await openProjectDb({ path: ':memory:', connections: 2 });
	await seed(db);
	return db;
}
