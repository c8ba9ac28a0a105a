/**
 * THE incentive function: the billing job (closesInMonth) and the order page / dashboard
 * (asOfDay, orderIds) call this, so a bill and a screen never disagree. Windows are summed in SQL
 * (order_windows pre-aggregate, or the raw tables when it is not current) with the sums the
 * day-level variance needs; decideIncentiveFromSums = decideIncentive of src/lib/incentive.ts on sums.
 */
import { shanghaiDay, addDays } from '../../calendar.ts';
import type { IncentiveDecision } from '../../incentive.ts';
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

interface SelRow {
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

/** One row per selected order with its window sums: from the pre-aggregates when they are current, else from the raw tables. */
export async function incentiveInputs(engine: QueryEngine, where: string[], params: Record<string, unknown>): Promise<SelRow[]> {
	if (await preaggFresh(engine)) {
		const pre = where.map((w) => (w === MONTH_RAW ? MONTH_PRE : w));
		return engine.all<SelRow>(sqlFile('incentive_sums_pre.sql').replace('{{where}}', () => pre.join(' AND ')), params);
	}
	const sel = sqlFile('incentive_orders.sql').replace('{{where}}', () => where.join(' AND '));
	const win = preaggSql('order_windows.sql').replaceAll('{{orders_where}}', 'order_id IN (SELECT order_id FROM sel)');
	const sql = `WITH sel AS (${sel}),\nw AS (${win})\nSELECT sel.*, w.b_impr, w.b_clicks, w.b_nn, w.b_cc, w.b_cn, w.r_impr, w.r_clicks, w.r_nn, w.r_cc, w.r_cn\nFROM sel LEFT JOIN w USING (order_id)\nORDER BY sel.order_id`;
	return engine.all<SelRow>(sql, params);
}

export async function incentiveDecisions(engine: QueryEngine, opts: IncentiveOptions): Promise<OrderIncentive[]> {
	const where: string[] = [];
	const params: Record<string, unknown> = {};
	if (opts.closesInMonth !== undefined) {
		if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(opts.closesInMonth)) throw new RangeError(`closesInMonth must be YYYY-MM, got ${opts.closesInMonth}`);
		where.push(MONTH_RAW);
		params.month = opts.closesInMonth;
	}
	if (opts.orderIds !== undefined) {
		if (!opts.orderIds.length) return [];
		where.push(`list_contains(from_json($order_ids, '["VARCHAR"]'), o.order_id)`);
		params.order_ids = JSON.stringify(opts.orderIds);
	}
	if (opts.closesInMonth === undefined && opts.orderIds === undefined) where.push('o.live_at IS NOT NULL');
	if (opts.scope.sellerId !== null) {
		where.push('o.seller_id = $scope_seller');
		params.scope_seller = opts.scope.sellerId;
	}
	const orders = await incentiveInputs(engine, where, params);
	const asOf = opts.asOfDay ?? shanghaiDay(new Date());
	return orders.map((o) => {
		const windowClosed = o.live_day === null ? false : opts.closesInMonth !== undefined ? true : addDays(o.live_day, 29) < asOf;
		const decision = decideIncentiveFromSums({
			liveDay: o.live_day,
			refunded: o.refunded,
			imageFeeFen: o.image_fee,
			baseline: sums(o.b_impr, o.b_clicks, o.b_nn, o.b_cc, o.b_cn),
			result: sums(o.r_impr, o.r_clicks, o.r_nn, o.r_cc, o.r_cn),
			windowClosed
		});
		return { ...decision, orderId: o.order_id, sellerId: o.seller_id, skuId: o.sku_id, category: o.category, providerId: o.provider_id };
	});
}
