/**
 * GET /v1/image/orders and /v1/image/orders/ORDER_ID: query parsing, the SQL in orders.sql, and
 * the JSON shape. Every query takes the seller from the caller's token, never from the request.
 */
import type { Db } from '../db/connection.ts';
import { formatYuan } from '../../money.ts';
import { now as clockNow } from '../clock.ts';
import { apiSql } from './sql.ts';
import { apiDbGate } from './gate.ts';
import { firstAfter, firstSince, resolveRow, sellerOrders, sortedAt, type ResolvedRow } from './orders-cache.ts';

export const ORDER_STATUSES = ['cancelled', 'refunded', 'disputed', 'live', 'accepted', 'delivered', 'in_revision', 'matched', 'published'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 500;

export interface ListQuery {
	statuses: OrderStatus[] | null;
	sinceUs: number | null;
	after: { us: number; id: string } | null;
	limit: number;
}

export class BadRequest extends Error {}

/** ISO 8601 with an offset as Asia/Shanghai local time (China keeps +08:00 all year). */
export function isoShanghai(d: Date | null): string | null {
	if (!d) return null;
	const s = new Date(d.getTime() + 8 * 3600_000).toISOString(); // …Z, shifted
	const ms = s.slice(19, 23);
	return `${s.slice(0, 19)}${ms === '.000' ? '' : ms}+08:00`;
}

/**
 * A `ts` of the data contract → epoch microseconds: with an offset (Z, ±HH:MM, ±HHMM) or without
 * (Asia/Shanghai), 'T' or a space between date and time, optional fraction; a bare date is its
 * Shanghai midnight. A '+' sent unencoded in a query string arrives as a space and is read back.
 */
export function parseTs(s: string): number | null {
	const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?(Z|z|[+\- ]\d{2}:?\d{2})?)?$/.exec(s.trim());
	if (!m) return null;
	const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '', off] = m;
	const Y = +y, M = +mo, D = +d, H = +h, MI = +mi, S = +sec;
	if (M < 1 || M > 12 || D < 1 || D > 31 || H > 23 || MI > 59 || S > 59) return null;
	const base = Date.UTC(Y, M - 1, D, H, MI, S);
	const check = new Date(base);
	if (check.getUTCDate() !== D || check.getUTCMonth() !== M - 1) return null; // 2026-02-30
	let offsetMin = 8 * 60;
	if (off && /^[Zz]$/.test(off)) offsetMin = 0;
	else if (off) {
		const om = /^([+\- ])(\d{2}):?(\d{2})$/.exec(off)!;
		if (+om[2] > 23 || +om[3] > 59) return null;
		offsetMin = (om[1] === '-' ? -1 : 1) * (+om[2] * 60 + +om[3]);
	}
	return (base - offsetMin * 60_000) * 1000 + Number(frac.padEnd(6, '0') || 0);
}

export function encodeCursor(us: number, id: string): string {
	return Buffer.from(`1:${us}:${id}`, 'utf8').toString('base64url');
}

export function decodeCursor(c: string): { us: number; id: string } | null {
	if (c.length > 200 || !/^[A-Za-z0-9_-]+$/.test(c)) return null;
	const m = /^1:(-?\d{1,17}):(.{1,64})$/s.exec(Buffer.from(c, 'base64url').toString('utf8'));
	if (!m || !Number.isSafeInteger(Number(m[1]))) return null;
	return { us: Number(m[1]), id: m[2] };
}

/** Validates the list's query string; throws BadRequest with a message for the client. */
export function parseListQuery(q: URLSearchParams): ListQuery {
	const one = (k: string): string | null => {
		const all = q.getAll(k);
		if (all.length > 1) throw new BadRequest(`${k} is given more than once`);
		return all[0] ?? null;
	};
	const limitRaw = one('limit');
	let limit = DEFAULT_LIMIT;
	if (limitRaw !== null) {
		if (!/^\d{1,9}$/.test(limitRaw)) throw new BadRequest('limit must be a whole number from 1 to 500');
		limit = Number(limitRaw);
		if (limit < 1 || limit > MAX_LIMIT) throw new BadRequest(`limit must be from 1 to ${MAX_LIMIT}`);
	}
	const statusRaw = one('status');
	let statuses: OrderStatus[] | null = null;
	if (statusRaw !== null) {
		const parts = statusRaw.split(',').map((s) => s.trim());
		for (const p of parts)
			if (!(ORDER_STATUSES as readonly string[]).includes(p)) throw new BadRequest(`status must be one or more (comma-separated) of ${ORDER_STATUSES.join(', ')}`);
		statuses = parts as OrderStatus[];
	}
	const sinceRaw = one('updated_since');
	let sinceUs: number | null = null;
	if (sinceRaw !== null) {
		sinceUs = parseTs(sinceRaw);
		if (sinceUs === null) throw new BadRequest('updated_since must be an ISO 8601 timestamp, e.g. 2026-03-02T10:15:00+08:00');
	}
	const cursorRaw = one('cursor');
	let after = null;
	if (cursorRaw !== null && cursorRaw !== '') {
		after = decodeCursor(cursorRaw);
		if (!after) throw new BadRequest('cursor is not one this API returned');
	}
	return { statuses, sinceUs, after, limit };
}

interface OrderRow {
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
	published_at: Date;
	matched_at: Date | null;
	first_draft_at: Date | null;
	delivered_at: Date | null;
	accepted_at: Date | null;
	auto_accepted_us: number | null;
	live_at: Date | null;
	cancelled_at: Date | null;
	updated_us: number;
	image_fee: number | null;
	language_fee: number | null;
	total: number | null;
}

export interface ApiOrder {
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
	published_at: string | null;
	matched_at: string | null;
	first_draft_at: string | null;
	delivered_at: string | null;
	accepted_at: string | null;
	auto_accepted_at: string | null;
	live_at: string | null;
	cancelled_at: string | null;
	updated_at: string | null;
	charge: { image_fee: string; language_fee: string; total: string; currency: 'CNY' } | null;
}

/** Epoch microseconds (the SQL keeps derived times as epoch_us) → Date, milliseconds like every other timestamp. */
function fromUs(us: number | null): Date | null {
	return us === null ? null : new Date(Math.floor(us / 1000));
}

function toApi(r: OrderRow): ApiOrder {
	return {
		order_id: r.order_id,
		seller_id: r.seller_id,
		provider_id: r.provider_id,
		sku_id: r.sku_id,
		category: r.category,
		image_type: r.image_type,
		image_count: r.image_count,
		rush: r.rush,
		languages: r.languages,
		store_license: r.store_license,
		status: r.status,
		published_at: isoShanghai(r.published_at),
		matched_at: isoShanghai(r.matched_at),
		first_draft_at: isoShanghai(r.first_draft_at),
		delivered_at: isoShanghai(r.delivered_at),
		accepted_at: isoShanghai(r.accepted_at),
		auto_accepted_at: isoShanghai(fromUs(r.auto_accepted_us)),
		live_at: isoShanghai(r.live_at),
		cancelled_at: isoShanghai(r.cancelled_at),
		updated_at: isoShanghai(fromUs(r.updated_us)),
		charge:
			r.total === null
				? null
				: { image_fee: formatYuan(r.image_fee!), language_fee: formatYuan(r.language_fee!), total: formatYuan(r.total), currency: 'CNY' }
	};
}


async function query(db: Db, sellerId: string, p: { orderId: string | null } & ListQuery, at: Date): Promise<OrderRow[]> {
	return apiDbGate.run(() => db.all<OrderRow>(apiSql('orders.sql'), {
		seller_id: sellerId,
		now_us: at.getTime() * 1000,
		order_id: p.orderId,
		statuses: p.statuses ? p.statuses.join(',') : null,
		since_us: p.sinceUs,
		after_us: p.after?.us ?? null,
		after_id: p.after?.id ?? null,
		limit: p.limit
	}));
}

function fromCache(r: ResolvedRow): OrderRow {
	const { row } = r;
	return { ...row, status: r.status, auto_accepted_us: r.autoAcceptedUs, updated_us: r.updatedUs };
}

/** One page of the seller's orders, ordered by (updated_at, order_id); next_cursor null on the last page. */
export async function listOrders(db: Db, sellerId: string, q: ListQuery, at: Date = clockNow()): Promise<{ data: ApiOrder[]; next_cursor: string | null }> {
	const cached = await sellerOrders(db, sellerId);
	let rows: OrderRow[];
	if (cached) {
		const sorted = sortedAt(cached, at.getTime() * 1000);
		let i = Math.max(q.after ? firstAfter(sorted, q.after.us, q.after.id) : 0, q.sinceUs !== null ? firstSince(sorted, q.sinceUs) : 0);
		const want = q.statuses ? new Set<string>(q.statuses) : null;
		rows = [];
		for (; i < sorted.length && rows.length <= q.limit; i++) if (!want || want.has(sorted[i].status)) rows.push(fromCache(sorted[i]));
	} else rows = await query(db, sellerId, { ...q, orderId: null, limit: q.limit + 1 }, at);
	return toPage(rows, q.limit);
}

/** listOrders straight from SQL (orders.sql), as for a seller too big to cache; the cache's reference. */
export async function listOrdersBySql(db: Db, sellerId: string, q: ListQuery, at: Date = clockNow()): Promise<{ data: ApiOrder[]; next_cursor: string | null }> {
	return toPage(await query(db, sellerId, { ...q, orderId: null, limit: q.limit + 1 }, at), q.limit);
}

function toPage(rows: OrderRow[], limit: number): { data: ApiOrder[]; next_cursor: string | null } {
	const more = rows.length > limit;
	const page = more ? rows.slice(0, limit) : rows;
	const last = page[page.length - 1];
	return { data: page.map(toApi), next_cursor: more && last ? encodeCursor(last.updated_us, last.order_id) : null };
}

/** One order of the seller, or null when it does not exist or belongs to someone else. */
export async function getOrder(db: Db, sellerId: string, orderId: string, at: Date = clockNow()): Promise<ApiOrder | null> {
	if (orderId.length > 64) return null;
	const cached = await sellerOrders(db, sellerId);
	if (cached) {
		const row = cached.byId.get(orderId);
		return row ? toApi(fromCache(resolveRow(row, at.getTime() * 1000))) : null;
	}
	const rows = await query(db, sellerId, { orderId, statuses: null, sinceUs: null, after: null, limit: 1 }, at);
	return rows[0] ? toApi(rows[0]) : null;
}
