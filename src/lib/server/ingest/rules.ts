/**
 * The contract's rules beyond column types, as SQL.
 *
 * rowRules: checks within one row, evaluated in the staging pass on typed values, after the column
 * checks (a row reports its first failing column, then its first failing row rule).
 * crossRules: checks against other rows — references, times relative to the order — run inside
 * the load's transaction against the tables as this load has already updated them (LOAD_ORDER
 * loads referenced tables first), so a reference may point into the same folder or the database.
 * uniqueKeys: key sets that must be unique within a file (the first occurrence loads).
 */
import { literal } from '../db/connection.ts';
import { TABLES, type TableName } from '../db/contract.ts';

/** [column reported, SQL condition that makes the row bad, SQL expression for the reason]. */
export type Check = [string, string, string];

const MILESTONES = ['published_at', 'matched_at', 'first_draft_at', 'delivered_at', 'accepted_at', 'live_at'];

function milestoneChecks(): Check[] {
	const out: Check[] = [];
	for (let j = 1; j < MILESTONES.length; j++) {
		const prev = MILESTONES.slice(0, j).reverse(); // nearest first
		const cur = MILESTONES[j];
		// The nearest earlier milestone present is the latest so far when the earlier ones are in order.
		const latest = `coalesce(${prev.join(', ')})`;
		const name = `CASE ${prev.map((p) => `WHEN ${p} IS NOT NULL THEN ${literal(p)}`).join(' ')} END`;
		out.push([cur, `${cur} < ${latest}`, `${literal(`${cur} is before `)} || ${name}`]);
	}
	return out;
}

export const rowRules: Partial<Record<TableName, Check[]>> = {
	orders: [
		...milestoneChecks(),
		['cancelled_at', 'cancelled_at IS NOT NULL AND delivered_at IS NOT NULL', literal('an order cannot be both delivered and cancelled')],
		['cancelled_at', 'cancelled_at < published_at', literal('cancelled_at is before published_at')]
	],
	ctr_daily: [['clicks', 'clicks > impressions', literal('clicks above impressions')]],
	disputes: [
		// A dispute is open until its ruling; the ruling's time is resolved_at. One without the other is contradictory.
		['ruling', 'ruling IS NOT NULL AND resolved_at IS NULL', literal('a ruling needs resolved_at')],
		['resolved_at', 'resolved_at IS NOT NULL AND ruling IS NULL', literal('resolved_at needs a ruling')]
	]
};

export const uniqueKeys: Record<TableName, string[][]> = {
	sellers: [TABLES.sellers.key],
	providers: [TABLES.providers.key],
	orders: [TABLES.orders.key],
	revisions: [TABLES.revisions.key],
	disputes: [TABLES.disputes.key, ['order_id']],
	delistings: [TABLES.delistings.key, ['order_id']],
	ctr_daily: [TABLES.ctr_daily.key],
	payments: [TABLES.payments.key]
};

export interface CrossRule {
	/** LEFT JOINs on the staged rows `s`. */
	joins: string;
	checks: Check[];
}

const unknown = (what: string, file: string) => literal(`unknown ${what} (neither in ${file} of this load nor in the database)`);
const orderJoin = 'LEFT JOIN orders o ON o.order_id = s.order_id';
const knownOrder: Check = ['order_id', 'o.order_id IS NULL', unknown('order', 'orders')];

export const crossRules: Partial<Record<TableName, CrossRule>> = {
	sellers: {
		joins: 'LEFT JOIN providers p ON p.provider_id = s.license_provider_id',
		checks: [['license_provider_id', 's.license_provider_id IS NOT NULL AND p.provider_id IS NULL', unknown('provider', 'providers')]]
	},
	orders: {
		joins: 'LEFT JOIN sellers se ON se.seller_id = s.seller_id LEFT JOIN providers p ON p.provider_id = s.provider_id',
		checks: [
			['seller_id', 'se.seller_id IS NULL', unknown('seller', 'sellers')],
			['provider_id', 'p.provider_id IS NULL', unknown('provider', 'providers')]
		]
	},
	revisions: {
		joins: orderJoin,
		checks: [knownOrder, ['requested_at', 's.requested_at < o.published_at', literal("requested before the order's published_at")]]
	},
	disputes: {
		joins: orderJoin,
		checks: [
			knownOrder,
			['opened_at', 's.opened_at < o.published_at', literal("opened before the order's published_at")],
			['opened_at', 'o.delivered_at IS NULL', literal('the order has not been delivered')],
			['opened_at', 's.opened_at < o.delivered_at', literal('opened before the order was delivered')],
			['opened_at', "s.opened_at > o.delivered_at + INTERVAL '72 hours'", literal('opened more than 72 hours after delivery')],
			['ruling', "s.ruling = 'provider_fault' AND o.live_at IS NOT NULL", literal('a provider_fault ruling (refund) on an order that went live')],
			[
				'order_id',
				'EXISTS (SELECT 1 FROM disputes d WHERE d.order_id = s.order_id AND d.dispute_id <> s.dispute_id)',
				literal('the order already has another dispute in the database (at most one per order)')
			]
		]
	},
	delistings: {
		joins: orderJoin,
		checks: [
			knownOrder,
			[
				'order_id',
				'EXISTS (SELECT 1 FROM delistings d WHERE d.order_id = s.order_id AND d.delisting_id <> s.delisting_id)',
				literal('the order already has another delisting in the database (at most one per order)')
			]
		]
	},
	payments: {
		joins: 'LEFT JOIN sellers se ON se.seller_id = s.seller_id',
		checks: [['seller_id', 'se.seller_id IS NULL', unknown('seller', 'sellers')]]
	}
};

/** CASE yielding 'column<TAB>reason' for the first failing check, else NULL. */
export function failCase(checks: Check[]): string {
	if (!checks.length) return 'NULL::VARCHAR';
	return `CASE ${checks.map(([col, when, reason]) => `WHEN ${when} THEN ${literal(col + '\t')} || ${reason}`).join(' ')} END`;
}
