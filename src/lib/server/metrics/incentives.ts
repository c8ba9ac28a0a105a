/**
 * THE incentive function: the billing job (closesInMonth) and the order page / dashboard
 * (asOfDay, orderIds) call this, so a bill and a screen never disagree. Windows are summed from
 * ctr_daily in SQL, zero-filled day arrays go to src/lib/incentive.ts decideIncentive.
 */
import { shanghaiDay, addDays } from '../../calendar.ts';
import { decideIncentive, type DayCounts, type IncentiveDecision } from '../../incentive.ts';
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
}

export async function incentiveDecisions(engine: QueryEngine, opts: IncentiveOptions): Promise<OrderIncentive[]> {
	const where: string[] = [];
	const params: Record<string, unknown> = {};
	if (opts.closesInMonth !== undefined) {
		if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(opts.closesInMonth)) throw new RangeError(`closesInMonth must be YYYY-MM, got ${opts.closesInMonth}`);
		where.push(`o.live_at IS NOT NULL AND strftime(o.live_at::DATE + 29, '%Y-%m') = $month`);
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
	const sel = sqlFile('incentive_orders.sql').replace('{{where}}', () => where.join(' AND '));
	const [orders, days] = await Promise.all([
		engine.all<SelRow>(`${sel}\nORDER BY o.order_id`, params),
		engine.all<{ order_id: string; k: number; impressions: number; clicks: number; add_to_cart: number }>(`WITH sel AS (${sel})\n${sqlFile('incentive_days.sql')}`, params)
	]);
	const byOrder = new Map<string, DayCounts[]>();
	for (const d of days) {
		let list = byOrder.get(d.order_id);
		if (!list) byOrder.set(d.order_id, (list = []));
		list.push({ impressions: d.impressions, clicks: d.clicks, addToCart: d.add_to_cart });
	}
	const asOf = opts.asOfDay ?? shanghaiDay(new Date());
	return orders.map((o) => {
		const list = byOrder.get(o.order_id) ?? [];
		const windowClosed = o.live_day === null ? false : opts.closesInMonth !== undefined ? true : addDays(o.live_day, 29) < asOf;
		const decision = decideIncentive({
			liveDay: o.live_day,
			refunded: o.refunded,
			imageFeeFen: o.image_fee,
			baseline: o.live_day === null ? [] : list.slice(0, 7),
			result: o.live_day === null ? [] : list.slice(7),
			windowClosed
		});
		return { ...decision, orderId: o.order_id, sellerId: o.seller_id, skuId: o.sku_id, category: o.category, providerId: o.provider_id };
	});
}
