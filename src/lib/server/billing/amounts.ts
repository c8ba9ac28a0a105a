/**
 * Service amounts per seller and month under the billing month rules: the bills and the
 * dashboards' "service revenue" read the same SQL (events.sql), so they never disagree.
 */
import { sql } from './sql.ts';
import { addMonths, assertMonth, monthStart } from './months.ts';
import { preaggFresh } from '../preagg/index.ts';
import { preaggSql } from '../preagg/sql.ts';
import { serviceAmountsVersion } from '../preagg/service-amounts.ts';

export interface SqlEngine {
	all<T>(sql: string, params?: Record<string, unknown>): Promise<T[]>;
}

/** Credit per provider_fault ruling and the compensation cap, fen (domain spec). */
export const CREDIT_FEN = 20_000;
export const COMPENSATION_CAP_FEN = 500_000;

export interface ServiceAmountRow {
	/** null when grouped by seller */
	month: string | null;
	/** null when grouped by month */
	seller_id: string | null;
	image_fees: number;
	language_fees: number;
	incentives: number;
	refunds: number;
	net_service_amount: number;
	credits: number;
	compensation: number;
	order_count: number;
	image_count: number;
}

export function eventParams(fromMonth: string, toMonthInclusive: string) {
	return {
		from_ts: monthStart(fromMonth),
		to_ts: monthStart(addMonths(toMonthInclusive, 1)),
		credit: CREDIT_FEN,
		comp_cap: COMPENSATION_CAP_FEN
	};
}

/** Where events.sql takes each order's fees from: order_facts' stored copy or the order_charges VIEW. */
export type FeeSource = 'preagg' | 'view';

/**
 * The pre-aggregate when it covers the data (preaggFresh), else the view. The stored fees are the
 * view's, copied at refresh; reading them skips pricing every order of the history (ASOF JOIN).
 */
export async function feeSource(engine: SqlEngine): Promise<FeeSource> {
	return (await preaggFresh(engine)) ? 'preagg' : 'view';
}

/** sql(name) with events.sql reading its per-order fees from `source`. */
export function sqlWithFees(name: string, source: FeeSource): string {
	return sql(name, source === 'preagg' ? { order_fees: 'order_fees_pre' } : {});
}

const SUMS = ['image_fees', 'language_fees', 'incentives', 'refunds', 'net_service_amount', 'credits', 'compensation', 'order_count', 'image_count'];

export async function serviceAmounts(
	engine: SqlEngine,
	opts: { fromMonth: string; toMonth: string; sellerId?: string; groupBy?: 'month' | 'seller'; source?: FeeSource }
): Promise<ServiceAmountRow[]> {
	assertMonth(opts.fromMonth);
	assertMonth(opts.toMonth);
	const source = opts.source ?? (await feeSource(engine));
	if (source === 'preagg') {
		// the same sums kept per month and seller by the pre-aggregates (preagg/service-amounts.ts)
		const version = (f: string) =>
			preaggSql(f)
				.replaceAll('{{version}}', () => `'${serviceAmountsVersion()}'`)
				.replaceAll('{{amounts_row}}', () => `(\n${sql('amounts_row')}\n)`);
		const platformMonths = opts.groupBy === 'month' && opts.sellerId === undefined;
		const rows = await engine.all<ServiceAmountRow & { stale?: boolean }>(
			platformMonths ? version('service_amounts_months.sql') : shaped(version('service_amounts.sql'), opts.groupBy, true),
			platformMonths ? { from_month: opts.fromMonth, to_month: opts.toMonth } : { from_month: opts.fromMonth, to_month: opts.toMonth, seller: opts.sellerId ?? null }
		);
		if (!rows.some((r) => r.stale)) {
			for (const r of rows) delete r.stale;
			return rows;
		}
	}
	const params = { ...eventParams(opts.fromMonth, opts.toMonth), from_month: opts.fromMonth, to_month: opts.toMonth, seller: opts.sellerId ?? null };
	return engine.all<ServiceAmountRow>(shaped(sqlWithFees('amounts', source), opts.groupBy, false), params);
}

/** The rows of `base` per seller and month, or summed per month / per seller; `stale` kept when asked. */
function shaped(base: string, groupBy: 'month' | 'seller' | undefined, stale: boolean): string {
	base = base.replace(/;\s*$/, '');
	const st = stale ? ', bool_or(stale) AS stale' : '';
	if (groupBy === 'month') return `SELECT month, NULL::VARCHAR AS seller_id, ${SUMS.map((c) => `sum(${c})::BIGINT AS ${c}`).join(', ')}${st} FROM (${base}) GROUP BY month ORDER BY month`;
	if (groupBy === 'seller') return `SELECT NULL::VARCHAR AS month, seller_id, ${SUMS.map((c) => `sum(${c})::BIGINT AS ${c}`).join(', ')}${st} FROM (${base}) GROUP BY seller_id ORDER BY seller_id`;
	return `${base} ORDER BY month, seller_id`;
}
