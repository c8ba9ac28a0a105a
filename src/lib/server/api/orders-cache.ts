/**
 * Pages of the ERP API from memory. One query (orders-seller.sql) fetches all of a seller's orders
 * with status and updated_at worked out in SQL; later requests for that seller page through the
 * sorted list in memory while the data version is unchanged. Every request checks the version
 * (one tiny query, shared by the requests that arrive while it runs): loads, and the row counts of
 * the tables a status is made of, so loads and rows inserted or deleted around the loader (tests,
 * repairs) are seen at once. A row UPDATEd in place around the loader is not: call
 * clearOrdersCache() after such a repair.
 *
 * Why: a list request by SQL costs ~10–15 ms of DuckDB planning and hash tables even for a
 * 300-order seller, so 50 ERP clients saturate 2 cores at ~50 requests a second.
 */
import type { Db } from '../db/connection.ts';
import type { OrderStatus } from './orders.ts';
import { apiSql } from './sql.ts';
import { apiDbGate } from './gate.ts';

/** A seller with more orders than this is paged by SQL (orders.sql) instead. */
export const MAX_CACHED_ORDERS = 20_000;
/** Orders kept in memory per database, all sellers together (least recently filled dropped first; ~1 KB each). */
export const MAX_CACHED_TOTAL = 200_000;

export interface SellerOrderRow {
	order_id: string;
	seller_id: string;
	provider_id: string;
	sku_id: string;
	category: string;
	image_type: string;
	image_count: number;
	rush: boolean;
	languages: string[];
	store_license: boolean;
	status: OrderStatus;
	status_auto: OrderStatus;
	auto_at_us: number | null;
	published_at: Date;
	matched_at: Date | null;
	first_draft_at: Date | null;
	delivered_at: Date | null;
	accepted_at: Date | null;
	live_at: Date | null;
	cancelled_at: Date | null;
	updated_us: number;
	updated_auto_us: number;
	image_fee: number | null;
	language_fee: number | null;
	total: number | null;
}

/** A row as of one instant: acceptance by silence applied or not. */
export interface ResolvedRow {
	row: SellerOrderRow;
	status: OrderStatus;
	updatedUs: number;
	autoAcceptedUs: number | null;
}

interface Resolution {
	/** Valid for now in [fromUs, untilUs): no auto-acceptance time falls inside. */
	fromUs: number;
	untilUs: number;
	sorted: ResolvedRow[];
}

interface Entry {
	version: string;
	rows: SellerOrderRow[] | null; // null: too many to cache
	byId: Map<string, SellerOrderRow>;
	resolution: Resolution | null;
}

interface DbState {
	versionCheck: Promise<string> | null;
	cachedRows: number;
	entries: Map<string, Entry>;
	filling: Map<string, Promise<Entry>>;
}

const VERSION_SQL = `SELECT (SELECT coalesce(max(load_id), 0) FROM loads)::VARCHAR
  || '/' || (SELECT count(*) FROM orders)::VARCHAR
  || '/' || (SELECT count(*) FROM revisions)::VARCHAR
  || '/' || (SELECT count(*) FROM disputes)::VARCHAR
  || '/' || (SELECT coalesce(sum(hash(category, image_type, rush, store_license, effective_from, unit_price, language_unit)), 0) FROM unit_prices)::VARCHAR AS v`;

const states = new WeakMap<Db, DbState>();
let generation = 0;

function stateOf(db: Db): DbState {
	let s = states.get(db);
	if (!s) {
		s = { versionCheck: null, cachedRows: 0, entries: new Map(), filling: new Map() };
		states.set(db, s);
	}
	return s;
}

/** Forgets every cached seller (after rows were changed in place around the loader). */
export function clearOrdersCache(): void {
	generation++;
}

function dataVersion(db: Db, s: DbState): Promise<string> {
	if (!s.versionCheck) {
		s.versionCheck = db
			.all<{ v: string }>(VERSION_SQL)
			.then((r) => `${generation}:${r[0].v}`)
			.finally(() => {
				s.versionCheck = null;
			});
	}
	return s.versionCheck;
}

async function fill(db: Db, s: DbState, sellerId: string, version: string): Promise<Entry> {
	const rows = await apiDbGate.run(() => db.all<SellerOrderRow>(apiSql('orders-seller.sql'), { seller_id: sellerId }));
	const small = rows.length <= MAX_CACHED_ORDERS;
	const entry: Entry = { version, rows: small ? rows : null, byId: new Map(small ? rows.map((r) => [r.order_id, r]) : []), resolution: null };
	const old = s.entries.get(sellerId);
	if (old) {
		s.entries.delete(sellerId);
		s.cachedRows -= old.byId.size;
	}
	s.entries.set(sellerId, entry);
	s.cachedRows += entry.byId.size;
	for (const [k, e] of s.entries) {
		if (s.cachedRows <= MAX_CACHED_TOTAL || k === sellerId) break;
		s.entries.delete(k);
		s.cachedRows -= e.byId.size;
	}
	return entry;
}

/** The seller's cached orders at the current data version, or null when the seller is too big to cache. */
export async function sellerOrders(db: Db, sellerId: string): Promise<Entry | null> {
	const s = stateOf(db);
	const version = await dataVersion(db, s);
	let e = s.entries.get(sellerId);
	if (!e || e.version !== version) {
		const key = `${sellerId}\u0000${version}`;
		let p = s.filling.get(key);
		if (!p) {
			p = fill(db, s, sellerId, version).finally(() => s.filling.delete(key));
			s.filling.set(key, p);
		}
		e = await p;
	}
	return e.rows ? e : null;
}

export function resolveRow(row: SellerOrderRow, nowUs: number): ResolvedRow {
	const auto = row.auto_at_us !== null && row.auto_at_us <= nowUs;
	return auto
		? { row, status: row.status_auto, updatedUs: row.updated_auto_us, autoAcceptedUs: row.auto_at_us }
		: { row, status: row.status, updatedUs: row.updated_us, autoAcceptedUs: null };
}

/** VARCHAR order (UTF-8 bytes, as DuckDB compares), which JS's UTF-16 `<` is not beyond ASCII. */
export function compareIds(a: string, b: string): number {
	if (a === b) return 0;
	return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

const byKey = (a: ResolvedRow, b: ResolvedRow) => a.updatedUs - b.updatedUs || compareIds(a.row.order_id, b.row.order_id);

/** All the seller's orders as of nowUs, sorted by (updated_at, order_id). */
export function sortedAt(e: Entry, nowUs: number): ResolvedRow[] {
	const r = e.resolution;
	if (r && nowUs >= r.fromUs && nowUs < r.untilUs) return r.sorted;
	let fromUs = -Infinity;
	let untilUs = Infinity;
	for (const row of e.rows!) {
		const a = row.auto_at_us;
		if (a === null) continue;
		if (a <= nowUs) fromUs = Math.max(fromUs, a);
		else untilUs = Math.min(untilUs, a);
	}
	const sorted = e.rows!.map((row) => resolveRow(row, nowUs)).sort(byKey);
	e.resolution = { fromUs, untilUs, sorted };
	return sorted;
}

/** Index of the first row after the cursor key (updated_us, order_id). */
export function firstAfter(sorted: ResolvedRow[], us: number, id: string): number {
	let lo = 0;
	let hi = sorted.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		const m = sorted[mid];
		if (m.updatedUs < us || (m.updatedUs === us && compareIds(m.row.order_id, id) <= 0)) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}

/** Index of the first row with updated_us >= us. */
export function firstSince(sorted: ResolvedRow[], us: number): number {
	let lo = 0;
	let hi = sorted.length;
	while (lo < hi) {
		const mid = (lo + hi) >> 1;
		if (sorted[mid].updatedUs < us) lo = mid + 1;
		else hi = mid;
	}
	return lo;
}
