/**
 * Everything the order page shows about one order, in scope or not at all: a seller asking for
 * another seller's order gets null (callers answer 404, never 403, so ids do not leak).
 */
import { compileSlaItems, withBase, usedParams } from './compile.ts';
import { contextFrom } from './context.ts';
import type { QueryEngine } from './engine.ts';
import { incentiveDecisions, type OrderIncentive } from './incentives.ts';
import { orderDays } from './ctr.ts';
import { REASON_LABELS, RULING_LABELS } from './labels.ts';
import { SLA_NAMES, type Scope, type SlaName } from './request.ts';
import type { ResultRow } from './result.ts';
import { templateFile } from './sql.ts';
import { preaggFresh } from '../preagg/index.ts';

export interface OrderStory {
	order: ResultRow;
	revisions: ResultRow[];
	dispute: ResultRow | null;
	delisting: ResultRow | null;
	/** One clock per SLA that applies to the order: start, deadline, stop, hours, state. */
	sla: Record<string, ResultRow[]>;
	/** Daily CTR / add-to-cart from L−14 to L+45 (empty when never live); k = day − L. */
	ctrSeries: { k: number; date: string; impressions: number; clicks: number; addToCart: number }[];
	incentive: OrderIncentive | null;
}

const ORDER_SLAS: SlaName[] = SLA_NAMES.filter((s) => s !== 'payment' && s !== 'bill_generation');

export async function orderStory(engine: QueryEngine, orderId: string, scope: Scope, today: string): Promise<OrderStory | null> {
	const preagg = await preaggFresh(engine);
	const head = `${withBase(scope, 'SELECT 1', preagg)}\n${templateFile('order_story.sql', preagg)}`;
	const rows = await engine.all<ResultRow>(head, usedParams(head, { order_id: orderId, scope_seller: scope.sellerId }));
	const order = rows[0];
	if (!order) return null;
	const ctx = { ...contextFrom({ today }), preagg };
	const p = { order_id: orderId };
	const [revisions, disputes, delistings, clocks, series, incentive] = await Promise.all([
		engine.all<ResultRow>('SELECT requested_at, reason_code, redelivered_at FROM revisions WHERE order_id = $order_id ORDER BY requested_at', p),
		engine.all<ResultRow>('SELECT dispute_id, opened_at, reason_code, first_response_at, resolved_at, ruling FROM disputes WHERE order_id = $order_id', p),
		engine.all<ResultRow>(
			'SELECT delisting_id, delisted_at, claimed_loss, least(claimed_loss, 500000) AS compensation_fen, accountability_started_at, compensated_at FROM delistings WHERE order_id = $order_id',
			p
		),
		Promise.all(
			ORDER_SLAS.map(async (sla) => {
				const c = compileSlaItems({ metric: 'sla_items', sla, limit: 10 }, scope, ctx, { orderId });
				return [sla, await engine.all<ResultRow>(c.sql, c.params)] as const;
			})
		),
		order.live_at ? orderDays(engine, [orderId], -14, 45) : Promise.resolve(new Map()),
		incentiveDecisions(engine, { orderIds: [orderId], asOfDay: today, scope })
	]);
	for (const r of revisions) r.reason_label = REASON_LABELS[String(r.reason_code)] ?? null;
	const dispute = disputes[0] ?? null;
	if (dispute) {
		dispute.reason_label = REASON_LABELS[String(dispute.reason_code)] ?? null;
		dispute.ruling_label = dispute.ruling ? (RULING_LABELS[String(dispute.ruling)] ?? null) : null;
	}
	const sla: Record<string, ResultRow[]> = {};
	for (const [name, items] of clocks) {
		for (const i of items) delete i.total_count;
		if (items.length) sla[name] = items;
	}
	return {
		order,
		revisions,
		dispute,
		delisting: delistings[0] ?? null,
		sla,
		ctrSeries: (series.get(orderId) ?? []) as OrderStory['ctrSeries'],
		incentive: incentive[0] ?? null
	};
}
