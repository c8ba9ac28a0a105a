/**
 * Small hand-made data for the metrics tests. Rows go in with one multi-row INSERT per table
 * (a dozen rows; bulk data in the project goes through ingest).
 */
import { openProjectDb } from '../../../src/lib/server/db/open.ts';
import type { Db } from '../../../src/lib/server/db/connection.ts';

export interface OrderRow {
	order_id: string;
	seller_id: string;
	provider_id?: string;
	sku_id?: string;
	category?: string;
	image_type?: 'main' | 'scene';
	image_count?: number;
	rush?: boolean;
	languages?: string[];
	store_license?: boolean;
	delivery_days?: number;
	spec_form_filled?: boolean;
	published_at: string;
	first_draft_at?: string | null;
	delivered_at?: string | null;
	accepted_at?: string | null;
	live_at?: string | null;
	cancelled_at?: string | null;
}

export async function emptyDb(): Promise<Db> {
	return openProjectDb({ path: ':memory:' });
}

const lit = (v: unknown): string => {
	if (v === null || v === undefined) return 'NULL';
	if (typeof v === 'boolean') return v ? 'true' : 'false';
	if (typeof v === 'number') return String(v);
	if (Array.isArray(v)) return `[${v.map(lit).join(', ')}]::VARCHAR[]`;
	return `'${String(v).replaceAll("'", "''")}'`;
};

async function insert(db: Db, table: string, rows: Record<string, unknown>[]) {
	if (!rows.length) return;
	const cols = Object.keys(rows[0]);
	await db.run(`INSERT INTO ${table} (${cols.join(', ')}, _load_id) VALUES ${rows.map((r) => `(${cols.map((c) => lit(r[c])).join(', ')}, 1)`).join(', ')}`);
}

export async function addSellers(db: Db, rows: Partial<Record<string, unknown>>[]) {
	await insert(
		db,
		'sellers',
		rows.map((r) => ({
			seller_id: r.seller_id,
			name: r.name ?? `Seller ${r.seller_id}`,
			uscc: r.uscc ?? '91350100M000100Y43',
			entity_type: r.entity_type ?? 'enterprise',
			enterprise_certified: r.enterprise_certified ?? true,
			store_level: r.store_level ?? 3,
			region: r.region ?? 'shenzhen',
			service_opened_at: r.service_opened_at ?? '2025-01-01T00:00:00+08:00',
			serious_violation_90d: r.serious_violation_90d ?? false,
			license_from: r.license_from ?? null,
			license_provider_id: r.license_provider_id ?? null,
			invoice_title: r.invoice_title ?? 'x'
		}))
	);
}

export async function addProviders(db: Db, ids: string[]) {
	await insert(
		db,
		'providers',
		ids.map((id) => ({ provider_id: id, name: `Provider ${id}`, certified_at: '2024-01-01' }))
	);
}

export async function addOrders(db: Db, rows: OrderRow[]) {
	await insert(
		db,
		'orders',
		rows.map((o) => ({
			order_id: o.order_id,
			seller_id: o.seller_id,
			provider_id: o.provider_id ?? 'P1',
			sku_id: o.sku_id ?? `SKU-${o.order_id}`,
			category: o.category ?? 'home',
			image_type: o.image_type ?? 'main',
			image_count: o.image_count ?? 1,
			rush: o.rush ?? false,
			languages: o.languages ?? [],
			store_license: o.store_license ?? false,
			delivery_days: o.delivery_days ?? 3,
			reference_images: 0,
			has_3d_model: false,
			spec_form_filled: o.spec_form_filled ?? true,
			published_at: o.published_at,
			matched_at: null,
			first_draft_at: o.first_draft_at ?? null,
			delivered_at: o.delivered_at ?? null,
			accepted_at: o.accepted_at ?? null,
			live_at: o.live_at ?? null,
			cancelled_at: o.cancelled_at ?? null
		}))
	);
}

export async function addRevisions(db: Db, rows: { order_id: string; requested_at: string; reason_code: string }[]) {
	await insert(db, 'revisions', rows.map((r) => ({ ...r, redelivered_at: null })));
}

export async function addDisputes(
	db: Db,
	rows: { dispute_id: string; order_id: string; opened_at: string; reason_code?: string; first_response_at?: string | null; resolved_at?: string | null; ruling?: string | null }[]
) {
	await insert(
		db,
		'disputes',
		rows.map((r) => ({ dispute_id: r.dispute_id, order_id: r.order_id, opened_at: r.opened_at, reason_code: r.reason_code ?? 'R02', first_response_at: r.first_response_at ?? null, resolved_at: r.resolved_at ?? null, ruling: r.ruling ?? null }))
	);
}

export async function addDelistings(db: Db, rows: { delisting_id: string; order_id: string; delisted_at: string; claimed_loss: number; accountability_started_at?: string | null; compensated_at?: string | null }[]) {
	await insert(db, 'delistings', rows.map((r) => ({ accountability_started_at: null, compensated_at: null, ...r })));
}

/** CTR days generated in SQL: impressions/clicks/add_to_cart per day for a SKU over a date range. */
export async function addCtrDays(db: Db, sku: string, from: string, to: string, impressions: number, clicks: number, atc: number) {
	await db.run(
		`INSERT INTO ctr_daily SELECT $sku, d::DATE, $i, $c, $a, 1 FROM generate_series(CAST($from AS DATE), CAST($to AS DATE), INTERVAL 1 DAY) t(d)`,
		{ sku, from, to, i: impressions, c: clicks, a: atc }
	);
}
