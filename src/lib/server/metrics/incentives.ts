/**
 * THE incentive function: the billing job (closesInMonth) and the order page / dashboard
 * (asOfDay, orderIds) call this, so a bill and a screen never disagree. Windows are summed in SQL
 * (order_windows pre-aggregate, or the raw tables when it is not current) with the sums the
 * day-level variance needs; decideIncentiveFromSums = decideIncentive of src/lib/incentive.ts on sums.
 * Closed windows are read from incentive_decisions when it is current: that function's own output,
 * stored per live order by the load (preagg/incentive-decisions.ts), so no statistics run per request.
 */
import { shanghaiDay, addDays } from '../../calendar.ts';
import type { IncentiveDecision } from '../../incentive.ts';
import { INCENTIVE_STORE_VERSION } from '../preagg/incentive-decisions.ts';
import { preaggFresh } from '../preagg/index.ts';
import { preaggSql } from '../preagg/sql.ts';
import { decideIncentiveFromSums, type WindowSums } from './incentive-sums.ts';
import type { QueryEngine } from './engine.ts';
import type { Scope } from './request.ts';
import { sqlFile } from './sql.ts';

export interface IncentiveOptions {
	/** YYYY-MM: orders whose L+29 falls in that month (windowClosed = true). The billing job. */
	closesInMonth?: string;
	/** Dashboard: windowClosed = L+29 < asOfDay (default today, Asia/Shanghai). */
	asOfDay?: string;
	orderIds?: string[];
	scope: Scope;
}

export type OrderIncentive = IncentiveDecision & { orderId: string; sellerId: string; skuId: string; category: string; providerId: string };

export interface SelRow {
	order_id: string;
	seller_id: string;
	sku_id: string;
	category: string;
	provider_id: string;
	live_day: string | null;
	refunded: boolean;
	image_fee: number;
	b_impr: number | null;
	b_clicks: number | null;
	b_nn: number | null;
	b_cc: number | null;
	b_cn: number | null;
	r_impr: number | null;
	r_clicks: number | null;
	r_nn: number | null;
	r_cc: number | null;
	r_cn: number | null;
	/** the stored decision (incentive_decisions, window taken as closed), when the read joined it */
	s_reason?: string | null;
	s_qualifies?: boolean;
	s_close_day?: string | null;
	s_live_day?: string | null;
	s_baseline_from?: string | null;
	s_baseline_to?: string | null;
	s_result_from?: string | null;
	s_result_to?: string | null;
	s_close_month?: string | null;
	s_b_impressions?: number;
	s_b_clicks?: number;
	s_b_ctr?: number | null;
	s_r_impressions?: number;
	s_r_clicks?: number;
	s_r_ctr?: number | null;
	s_lift?: number | null;
	s_lower95?: number | null;
	s_se?: number | null;
	s_df?: number | null;
	s_tier_rate?: number;
	s_image_fee_fen?: number;
	s_amount_fen?: number;
	s_explanation?: string;
}

const sums = (n: number | null, x: number | null, nn: number | null, xx: number | null, xn: number | null): WindowSums => ({
	n: n ?? 0,
	x: x ?? 0,
	nn: nn ?? 0,
	xx: xx ?? 0,
	xn: xn ?? 0
});

// Orders whose result window closes (L+29) in $month; the stored close day avoids a time-zone cast per row.
const MONTH_RAW = `o.live_at IS NOT NULL AND strftime(o.live_at::DATE + 29, '%Y-%m') = $month`;
const MONTH_PRE = `o.f_close_day BETWEEN CAST($month || '-01' AS DATE) AND last_day(CAST($month || '-01' AS DATE))`;
// The same on incentive_decisions (close_day is 'YYYY-MM-DD' text: every day of $month sorts inside).
const MONTH_STORED = `close_day BETWEEN $month || '-01' AND $month || '-31'`;
const LIVE = 'o.live_at IS NOT NULL';

/** The selection on incentive_decisions' own columns (it has seller_id, order_id, close_day). */
const storedWhere = (where: string[]): string =>
	where.map((w) => (w === MONTH_RAW ? MONTH_STORED : w === LIVE ? 'true' : w.replace(/\bo\./g, ''))).join(' AND ');

/** The SQL of incentiveInputs: from the pre-aggregates when they are current, else from the raw tables. */
async function incentiveInputsSql(engine: QueryEngine, where: string[]): Promise<string> {
	if (await preaggFresh(engine)) {
		const pre = where.map((w) => (w === MONTH_RAW ? MONTH_PRE : w));
		// with the stored decisions of closed windows (incentive_decisions) when made by this rule
		return sqlFile('incentive_stored_pre.sql')
			.replace('{{rule}}', () => `'${INCENTIVE_STORE_VERSION}'`)
			.replace('{{stored_where}}', () => storedWhere(where))
			.replace('{{where}}', () => pre.join(' AND '));
	}
	const sel = sqlFile('incentive_orders.sql').replace('{{where}}', () => where.join(' AND '));
	const win = preaggSql('order_windows.sql').replaceAll('{{orders_where}}', 'order_id IN (SELECT order_id FROM sel)');
	return `WITH sel AS (${sel}),\nw AS (${win})\nSELECT sel.*, w.b_impr, w.b_clicks, w.b_nn, w.b_cc, w.b_cn, w.r_impr, w.r_clicks, w.r_nn, w.r_cc, w.r_cn\nFROM sel LEFT JOIN w USING (order_id)\nORDER BY sel.order_id`;
}

/** One row per selected order with its window sums: from the pre-aggregates when they are current, else from the raw tables. */
export async function incentiveInputs(engine: QueryEngine, where: string[], params: Record<string, unknown>): Promise<SelRow[]> {
	return engine.all<SelRow>(await incentiveInputsSql(engine, where), params);
}

/** The selection of opts as SQL conditions on orders `o` and their parameters; null when nothing can match. */
function selection(opts: IncentiveOptions): { where: string[]; params: Record<string, unknown> } | null {
	const where: string[] = [];
	const params: Record<string, unknown> = {};
	if (opts.closesInMonth !== undefined) {
		if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(opts.closesInMonth)) throw new RangeError(`closesInMonth must be YYYY-MM, got ${opts.closesInMonth}`);
		where.push(MONTH_RAW);
		params.month = opts.closesInMonth;
	}
	if (opts.orderIds !== undefined) {
		if (!opts.orderIds.length) return null;
		where.push(`list_contains(from_json($order_ids, '["VARCHAR"]'), o.order_id)`);
		params.order_ids = JSON.stringify(opts.orderIds);
	}
	if (opts.closesInMonth === undefined && opts.orderIds === undefined) where.push(LIVE);
	if (opts.scope.sellerId !== null) {
		where.push('o.seller_id = $scope_seller');
		params.scope_seller = opts.scope.sellerId;
	}
	return { where, params };
}

/** The one rule applied to one order's window sums (the stored decisions are this with windowClosed = true). */
export function decisionOf(o: SelRow, windowClosed: boolean): IncentiveDecision {
	return decideIncentiveFromSums({
		liveDay: o.live_day,
		refunded: o.refunded,
		imageFeeFen: o.image_fee,
		baseline: sums(o.b_impr, o.b_clicks, o.b_nn, o.b_cc, o.b_cn),
		result: sums(o.r_impr, o.r_clicks, o.r_nn, o.r_cc, o.r_cn),
		windowClosed
	});
}

/**
 * The decision incentive_decisions stored for o (decisionOf(o, true) when the load refreshed it), as
 * decide() returns it: one object literal, in decide()'s key order (no intermediate copy per order).
 */
function storedIncentive(o: SelRow): OrderIncentive {
	return {
		qualifies: o.s_qualifies!,
		reason: o.s_reason as IncentiveDecision['reason'],
		liveDay: o.s_live_day!,
		baselineFrom: o.s_baseline_from!,
		baselineTo: o.s_baseline_to!,
		resultFrom: o.s_result_from!,
		resultTo: o.s_result_to!,
		closeDay: o.s_close_day!,
		closeMonth: o.s_close_month!,
		baseline: { impressions: o.s_b_impressions!, clicks: o.s_b_clicks!, ctr: o.s_b_ctr! },
		result: { impressions: o.s_r_impressions!, clicks: o.s_r_clicks!, ctr: o.s_r_ctr! },
		lift: o.s_lift!,
		lower95: o.s_lower95!,
		se: o.s_se!,
		df: o.s_df!,
		tierRate: o.s_tier_rate as IncentiveDecision['tierRate'],
		imageFeeFen: o.s_image_fee_fen!,
		amountFen: o.s_amount_fen!,
		explanation: o.s_explanation!.split('\n'),
		orderId: o.order_id,
		sellerId: o.seller_id,
		skuId: o.sku_id,
		category: o.category,
		providerId: o.provider_id
	};
}

/** Closed windows from the stored decisions when the read has them, else the rule itself. */
function decide(o: SelRow, opts: IncentiveOptions, asOf: string): OrderIncentive {
	const windowClosed = o.live_day === null ? false : opts.closesInMonth !== undefined ? true : addDays(o.live_day, 29) < asOf;
	if (windowClosed && o.s_reason != null) return storedIncentive(o);
	const decision = decisionOf(o, windowClosed);
	return { ...decision, orderId: o.order_id, sellerId: o.seller_id, skuId: o.sku_id, category: o.category, providerId: o.provider_id };
}

export async function incentiveDecisions(engine: QueryEngine, opts: IncentiveOptions): Promise<OrderIncentive[]> {
	const sel = selection(opts);
	if (!sel) return [];
	const orders = await incentiveInputs(engine, sel.where, sel.params);
	const asOf = opts.asOfDay ?? shanghaiDay(new Date());
	return orders.map((o) => decide(o, opts, asOf));
}

/** An engine whose temp tables live from one call to the next: a transaction's Db (one connection). */
export interface SessionEngine extends QueryEngine {
	run(sql: string, params?: Record<string, unknown>): Promise<void>;
}

/**
 * incentiveDecisions handed over `chunkRows` orders at a time, in order_id order (the billing job:
 * a full-platform month is ~500,000 decisions, too many to hold at once). The window sums are
 * computed once into a temp table and read back a chunk at a time; same rows, same rule.
 */
export async function* incentiveDecisionChunks(engine: SessionEngine, opts: IncentiveOptions, chunkRows = 20_000): AsyncGenerator<OrderIncentive[]> {
	const sel = selection(opts);
	if (!sel) return;
	const asOf = opts.asOfDay ?? shanghaiDay(new Date());
	const inputs = (await incentiveInputsSql(engine, sel.where)).replace(/;\s*$/, '');
	for await (const rows of rowChunks<SelRow>(engine, '_incentive_inputs', inputs, 'order_id', sel.params, chunkRows)) yield rows.map((o) => decide(o, opts, asOf));
}

/**
 * The rows of `sql` in `orderBy` order, `chunkRows` at a time: numbered once into the temp table
 * `table` (the engine's one connection keeps it between calls), read back by number, dropped after.
 */
export async function* rowChunks<T>(engine: SessionEngine, table: string, sql: string, orderBy: string, params: Record<string, unknown>, chunkRows: number): AsyncGenerator<T[]> {
	await engine.run(`CREATE OR REPLACE TEMP TABLE ${table} AS SELECT row_number() OVER (ORDER BY ${orderBy}) AS _rn, * FROM (${sql})`, params);
	try {
		const n = (await engine.all<{ n: number }>(`SELECT count(*)::BIGINT AS n FROM ${table}`, {}))[0].n;
		for (let first = 1; first <= n; first += chunkRows)
			yield await engine.all<T>(`SELECT * EXCLUDE (_rn) FROM ${table} WHERE _rn BETWEEN $a AND $b ORDER BY _rn`, { a: first, b: first + chunkRows - 1 });
	} finally {
		await engine.run(`DROP TABLE IF EXISTS ${table}`);
	}
}
