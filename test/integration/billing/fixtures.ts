/** Hand-inserted rows for billing tests (a few rows each; the sample generator is not needed here). */
import type { Db } from '../../../src/lib/server/db/connection.ts';
import { openProjectDb } from '../../../src/lib/server/db/open.ts';
import { usccCheckChar } from '../../../src/lib/uscc.ts';

export async function freshDb(): Promise<Db> {
	return openProjectDb({ path: ':memory:' });
}

/** A valid USCC built from a number (17 digits + check character). */
export function uscc(n: number): string {
	const first = ('91440300' + String(n).padStart(9, '0')).slice(0, 17);
	return first + usccCheckChar(first);
}

export async function seller(db: Db, id: string, o: { name?: string; uscc?: string } = {}) {
	await db.run(
		`INSERT INTO sellers VALUES ($id, $name, $uscc, 'enterprise', true, 4, 'shenzhen', '2024-01-01 00:00:00+08', false,
		 NULL, NULL, $name, '深圳市南山区 1 号', '0755-1234567', '招商银行深圳分行', '6225880000000000', 1)`,
		{ id, name: o.name ?? `公司 ${id}`, uscc: o.uscc ?? uscc(Number(id.replace(/\D/g, '')) || 1) }
	);
}

export interface OrderRow {
	id: string;
	seller: string;
	sku?: string;
	category?: string;
	imageType?: 'main' | 'scene';
	images?: number;
	rush?: boolean;
	license?: boolean;
	languages?: string[];
	published: string;
	delivered?: string | null;
	live?: string | null;
	cancelled?: string | null;
	load?: number;
}

export async function order(db: Db, o: OrderRow) {
	const langs = o.languages ?? [];
	await db.run(
		`INSERT INTO orders VALUES ($id, $seller, 'P1', $sku, $cat, $type, $images, $rush, ${langs.length ? `[${langs.map((l) => `'${l}'`).join(',')}]` : '[]::VARCHAR[]'},
		 $lic, 5, 0, false, true, $pub::TIMESTAMPTZ, NULL, NULL, $del::TIMESTAMPTZ, NULL, $live::TIMESTAMPTZ, $can::TIMESTAMPTZ, $load)`,
		{
			id: o.id,
			seller: o.seller,
			sku: o.sku ?? `SKU-${o.id}`,
			cat: o.category ?? 'apparel',
			type: o.imageType ?? 'main',
			images: o.images ?? 1,
			rush: o.rush ?? false,
			lic: o.license ?? false,
			pub: o.published,
			del: o.delivered ?? null,
			live: o.live ?? null,
			can: o.cancelled ?? null,
			load: o.load ?? 1
		}
	);
}

export async function dispute(db: Db, d: { id: string; order: string; opened: string; resolved: string | null; ruling: string | null; load?: number }) {
	await db.run(
		`INSERT INTO disputes VALUES ($id, $order, $opened::TIMESTAMPTZ, 'R03', NULL, $resolved::TIMESTAMPTZ, $ruling, $load)`,
		{ id: d.id, order: d.order, opened: d.opened, resolved: d.resolved, ruling: d.ruling, load: d.load ?? 1 }
	);
}

export async function delisting(db: Db, d: { id: string; order: string; delisted: string; claimed: number; compensated: string | null; load?: number }) {
	await db.run(`INSERT INTO delistings VALUES ($id, $order, $dl::TIMESTAMPTZ, $claimed, NULL, $comp::TIMESTAMPTZ, $load)`, {
		id: d.id,
		order: d.order,
		dl: d.delisted,
		claimed: d.claimed,
		comp: d.compensated,
		load: d.load ?? 1
	});
}

export async function payment(db: Db, p: { id: string; seller: string; month: string; paidAt: string; amount: number }) {
	await db.run(`INSERT INTO payments VALUES ($id, $seller, $month, $at::TIMESTAMPTZ, $amount, 'bank', 1)`, {
		id: p.id,
		seller: p.seller,
		month: p.month,
		at: p.paidAt,
		amount: p.amount
	});
}

/** Records a load (so the data watermark moves, as a real ingest would). */
export async function load(db: Db, id: number) {
	await db.run(`INSERT INTO loads VALUES ($id, now(), now(), 'test', 'test', 'ok', NULL, NULL, NULL)`, { id });
}
