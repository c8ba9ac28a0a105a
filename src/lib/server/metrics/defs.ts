/**
 * Metric definitions: each metric set is a base template (./sql/NAME.sql, one row per fact with
 * the order's dimensions) plus the measures aggregated over it, the dimensions it can be grouped
 * and filtered by, and its time columns (the first is the default). Measure expressions are our
 * own constant SQL over the base columns; nothing here comes from a request.
 */
import type { Dimension, MetricRequest, SlaName, TimeColumn } from './request.ts';

export type ColumnType = 'integer' | 'number' | 'ratio' | 'hours' | 'fen' | 'text' | 'date' | 'boolean' | 'timestamp';

export interface Measure {
	name: string;
	label: string;
	type: ColumnType;
	expr: string;
	/** Platform benchmark shown as a reference line. */
	benchmark?: number;
}

export interface MetricDef {
	name: string;
	label: string;
	sqlFile: string;
	/** Wrapped by sla_state.sql (today applied at query time). */
	slaWrapped?: boolean;
	timeColumns: TimeColumn[];
	dimensions: Dimension[];
	measures: Measure[];
	/** Extra filterable columns beyond the dimensions' own. */
	note?: string;
	/** true when the definition's quantile measures depend on the approx switch */
	quantiles?: boolean;
	/**
	 * The base has a "month" column (YYYY-MM) whose item starts at 00:00 on the 1st of the next
	 * month (payments per seller and month): a range on start_at also bounds "month", a filter on a
	 * plain grouping column that reaches the table scan, so the base aggregates only those months.
	 */
	startsAfterMonth?: boolean;
	/**
	 * Monthly rollup (src/lib/server/preagg/rollups.ts): additive components, each a per-row SQL
	 * value over the base that the rollup sums per (month of the default time column, order
	 * dimensions), and every measure rebuilt from sum(component). A measure's raw `expr` must give
	 * the very same value over the base rows (integers, or one division of integer sums), so a
	 * request answers identically from the rollup and from the raw rows.
	 */
	rollup?: Rollup;
}

export interface Rollup {
	/** component column (c_…) → per-row value (BIGINT-able, NULL = 0) */
	components: Record<string, string>;
	/** components rolled up by max (e.g. a latest timestamp) instead of sum, in their own type */
	max?: string[];
	/**
	 * Also store the base rows themselves (rollup_<set>_rows, by month of the default time column),
	 * and read them instead of the template while the rollups are current: for a small set of rows
	 * joined to the 2.7M orders (disputes), without today-dependent states, asked by dimensions no
	 * rollup has (seller).
	 */
	rows?: boolean;
	/** measure name → expression over sum(c_…); measures left out (quantiles) come from the base rows */
	measures: Record<string, string>;
	/** extra key columns of the rollup besides the order dimensions (e.g. missing_year) */
	keys?: string[];
	/**
	 * Today-dependent sets: which base rows are settled at the watermark $wm (their state and
	 * values are the same at any $now ≥ $wm); only those go into the rollup.
	 */
	settled?: string;
	/**
	 * Sets whose rows are not orders' (payments): the months (YYYY-MM of the time column) that
	 * the rows of loads after $since touch. Order-based sets are refreshed by the orders a load touched.
	 */
	touched?: string;
}

const ORDER_DIMS: Dimension[] = ['category', 'provider', 'region', 'seller', 'image_type', 'form_filled', 'first_order', 'day', 'week', 'month'];

export const BENCHMARKS = {
	ctrLift: 0.372,
	atcLift: 0.285,
	reworkRate: 0.113,
	reworkIndustry: 0.297,
	firstDraftHours: 42.6,
	arbitrationHours: 31.2
} as const;

const rate = (num: string, den: string) => `(${num})::DOUBLE / nullif(${den}, 0)`;
/** A rolled-up count or sum: 0, not NULL, over no rows (as count(*) gives). */
const total = (c: string) => `coalesce(sum(${c}), 0)::BIGINT`;
/** A rolled-up count_if: NULL over no rows or only NULLs, as count_if itself (a sum of the flags). */
const countIf = (c: string) => `sum(${c})::BIGINT`;
/** Microseconds between two timestamps (exact integers, so sums of them are exact). */
const us = (from: string, to: string) => `(epoch_us(${to}) - epoch_us(${from}))`;
/** Mean hours from a sum of microseconds and a count (the same division over raw rows or a rollup). */
const meanHours = (sumUs: string, n: string) => `(${sumUs})::DOUBLE / nullif(${n}, 0) / 3600000000.0`;

export const QUANTILE_FN = { exact: 'quantile_cont', approx: 'approx_quantile' } as const;

/** Hours measures over completed items; {q} is replaced with the quantile function. */
function hoursMeasures(benchmark?: number): Measure[] {
	return [
		{ name: 'mean_hours', label: 'Mean hours', type: 'hours', expr: meanHours('sum(hours_us)', 'count(hours_us)'), benchmark },
		{ name: 'p50_hours', label: 'p50 hours', type: 'hours', expr: '{q}(hours, 0.5)' },
		{ name: 'p90_hours', label: 'p90 hours', type: 'hours', expr: '{q}(hours, 0.9)' },
		{ name: 'p99_hours', label: 'p99 hours', type: 'hours', expr: '{q}(hours, 0.99)' }
	];
}

const MISSING_YEARS = "string_agg(DISTINCT missing_year::VARCHAR, ',' ORDER BY missing_year::VARCHAR)";

const SLA_TARGET_MEASURES: Measure[] = [
	{ name: 'items', label: 'Items', type: 'integer', expr: 'count(*)' },
	{ name: 'met', label: 'Met', type: 'integer', expr: "count_if(state = 'met')" },
	{ name: 'breached', label: 'Breached', type: 'integer', expr: "count_if(state = 'breached')" },
	{ name: 'open', label: 'Open', type: 'integer', expr: "count_if(state IN ('open', 'at_risk'))" },
	{ name: 'at_risk', label: 'At risk', type: 'integer', expr: "count_if(state = 'at_risk')" },
	{ name: 'attainment', label: 'Attainment', type: 'ratio', expr: rate("count_if(state = 'met')", "count_if(state = 'met') + count_if(state = 'breached')") },
	{ name: 'beyond_calendar', label: 'Deadlines beyond the calendar', type: 'integer', expr: 'count_if(beyond_calendar)' },
	{ name: 'missing_years', label: 'Years missing from the calendar', type: 'text', expr: MISSING_YEARS }
];

const SLA_LABELS: Record<SlaName, string> = {
	on_time_delivery: 'On-time delivery',
	first_draft: 'First draft',
	acceptance: 'Acceptance',
	dispute_first_response: 'Dispute first response (≤ 2 h)',
	arbitration: 'Arbitration (≤ 48 h)',
	provider_accountability: 'Provider accountability (≤ 48 h)',
	payment: 'Payment (by the 10th)',
	bill_generation: 'Bill generation (by the 5th)'
};

// SLA rollup components: only items settled at the watermark (stopped by then) are rolled up, so
// open / at risk are 0 there and come from the base rows; quantiles from preagg's rollup_<set>_hours
// (settled items' durations) plus the base rows.
const SLA_COMPONENTS: Record<string, string> = {
	c_items: '1',
	c_met: "(state = 'met')::INTEGER",
	c_breached: "(state = 'breached')::INTEGER",
	c_open: "(state IN ('open', 'at_risk'))::INTEGER",
	c_at_risk: "(state = 'at_risk')::INTEGER",
	c_beyond: 'beyond_calendar::INTEGER',
	c_hours_us: 'hours_us',
	c_hours_n: '(hours_us IS NOT NULL)::INTEGER'
};
const SLA_ROLLUP_BASE = {
	components: SLA_COMPONENTS,
	keys: ['missing_year'],
	// stopped by W, or never stopped with the deadline passed before W (breached at any $now ≥ W,
	// no hours; a later stop is a data change, whose months a load refreshes): auto-accepted and
	// overdue items would otherwise be read from the base rows for ever.
	settled: 'start_at <= CAST($wm AS TIMESTAMPTZ) AND (stop_raw <= CAST($wm AS TIMESTAMPTZ) OR (stop_raw IS NULL AND deadline < CAST($wm AS TIMESTAMPTZ)))'
};
const SLA_TARGET_ROLLUP: Record<string, string> = {
	items: total('c_items'),
	met: countIf('c_met'),
	breached: countIf('c_breached'),
	open: countIf('c_open'),
	at_risk: countIf('c_at_risk'),
	attainment: rate('sum(c_met)', 'sum(c_met) + sum(c_breached)'),
	beyond_calendar: countIf('c_beyond'),
	missing_years: MISSING_YEARS,
	mean_hours: meanHours('sum(c_hours_us)', 'sum(c_hours_n)')
};

export function slaDef(sla: SlaName): MetricDef {
	const base = {
		name: `sla.${sla}`,
		label: SLA_LABELS[sla],
		sqlFile: `sla_${sla}.sql`,
		slaWrapped: true,
		timeColumns: ['start_at'] as TimeColumn[],
		quantiles: true
	};
	switch (sla) {
		case 'first_draft':
			return {
				...base,
				dimensions: ORDER_DIMS,
				measures: [
					{ name: 'items', label: 'Orders', type: 'integer', expr: 'count(*)' },
					{ name: 'drafted', label: 'With first draft', type: 'integer', expr: 'count(hours)' },
					...hoursMeasures(BENCHMARKS.firstDraftHours)
				],
				rollup: {
					...SLA_ROLLUP_BASE,
					measures: { items: total('c_items'), drafted: total('c_hours_n'), mean_hours: meanHours('sum(c_hours_us)', 'sum(c_hours_n)') }
				}
			};
		case 'acceptance':
			return {
				...base,
				dimensions: ORDER_DIMS,
				measures: [
					{ name: 'items', label: 'Delivered', type: 'integer', expr: 'count(*)' },
					{ name: 'explicit', label: 'Decided explicitly', type: 'integer', expr: "count_if(state = 'met')" },
					{ name: 'auto_accepted', label: 'Auto-accepted at 72 h', type: 'integer', expr: "count_if(state = 'breached')" },
					{ name: 'pending', label: 'Within the 72 h', type: 'integer', expr: "count_if(state IN ('open', 'at_risk'))" },
					{ name: 'share_explicit', label: 'Share decided explicitly', type: 'ratio', expr: rate("count_if(state = 'met')", "count_if(state = 'met') + count_if(state = 'breached')") },
					{ name: 'share_auto', label: 'Share auto-accepted', type: 'ratio', expr: rate("count_if(state = 'breached')", "count_if(state = 'met') + count_if(state = 'breached')") },
					...hoursMeasures()
				],
				rollup: {
					...SLA_ROLLUP_BASE,
					measures: {
						items: total('c_items'),
						explicit: countIf('c_met'),
						auto_accepted: countIf('c_breached'),
						pending: countIf('c_open'),
						share_explicit: rate('sum(c_met)', 'sum(c_met) + sum(c_breached)'),
						share_auto: rate('sum(c_breached)', 'sum(c_met) + sum(c_breached)'),
						mean_hours: meanHours('sum(c_hours_us)', 'sum(c_hours_n)')
					}
				}
			};
		case 'dispute_first_response':
		case 'arbitration':
			return {
				...base,
				dimensions: [...ORDER_DIMS, 'reason', 'ruling'],
				measures: [...SLA_TARGET_MEASURES, ...hoursMeasures(sla === 'arbitration' ? BENCHMARKS.arbitrationHours : undefined)],
				rollup: { ...SLA_ROLLUP_BASE, measures: SLA_TARGET_ROLLUP }
			};
		case 'payment':
		case 'bill_generation':
			return {
				...base,
				dimensions: sla === 'payment' ? ['seller', 'region', 'month'] : ['month'],
				timeColumns: ['start_at'],
				startsAfterMonth: sla === 'payment',
				measures: [...SLA_TARGET_MEASURES, ...hoursMeasures()],
				// payment: one item per (seller, month) of payments, so a load's payments touch months by their own rows
				...(sla === 'payment'
					? {
							rollup: {
								...SLA_ROLLUP_BASE,
								measures: SLA_TARGET_ROLLUP,
								touched: `SELECT strftime((strptime(month || '-01', '%Y-%m-%d')::DATE + INTERVAL 1 MONTH)::DATE::TIMESTAMPTZ, '%Y-%m') FROM payments
  WHERE _load_id > $since OR seller_id IN (SELECT seller_id FROM sellers WHERE _load_id > $since)`
							}
						}
					: {}),
				note:
					sla === 'payment'
						? 'Stop = the last payment recorded for the month; whether it covered amount_due is the billing module’s (bills).'
						: 'Reads bill_runs (month, issued_at) written by the billing job (migration 003).'
			};
		default:
			return { ...base, dimensions: ORDER_DIMS, measures: [...SLA_TARGET_MEASURES, ...hoursMeasures()], rollup: { ...SLA_ROLLUP_BASE, measures: SLA_TARGET_ROLLUP } };
	}
}

export const DEFS: Record<string, MetricDef> = {
	volume: {
		name: 'volume',
		label: 'Volume',
		sqlFile: 'volume.sql',
		timeColumns: ['published_at', 'delivered_at', 'first_draft_at', 'accepted_at', 'live_at', 'cancelled_at'],
		dimensions: ORDER_DIMS,
		measures: [
			{ name: 'orders', label: 'Orders', type: 'integer', expr: 'count(*)' },
			{ name: 'images', label: 'Images', type: 'integer', expr: 'coalesce(sum(image_count), 0)' },
			{ name: 'delivered', label: 'Delivered', type: 'integer', expr: 'count(delivered_at)' },
			{ name: 'cancelled', label: 'Cancelled', type: 'integer', expr: 'count(cancelled_at)' },
			{ name: 'live', label: 'Live', type: 'integer', expr: 'count(live_at)' }
		],
		rollup: {
			components: {
				c_orders: '1',
				c_images: 'image_count',
				c_delivered: '(delivered_at IS NOT NULL)::INTEGER',
				c_cancelled: '(cancelled_at IS NOT NULL)::INTEGER',
				c_live: '(live_at IS NOT NULL)::INTEGER'
			},
			measures: { orders: total('c_orders'), images: total('c_images'), delivered: total('c_delivered'), cancelled: total('c_cancelled'), live: total('c_live') }
		}
	},
	rework: {
		name: 'rework',
		label: 'Rework rate',
		sqlFile: 'rework.sql',
		timeColumns: ['first_draft_at', 'published_at'],
		dimensions: ORDER_DIMS,
		measures: [
			{ name: 'drafted', label: 'Orders with a first draft', type: 'integer', expr: 'count(*)' },
			{ name: 'reworked', label: 'Orders with ≥ 1 revision', type: 'integer', expr: 'count_if(reworked)' },
			{ name: 'rework_rate', label: 'Rework rate', type: 'ratio', expr: rate('count_if(reworked)', 'count(*)'), benchmark: BENCHMARKS.reworkRate },
			{ name: 'revisions', label: 'Revisions', type: 'integer', expr: 'coalesce(sum(revisions), 0)' }
		],
		rollup: {
			components: { c_drafted: '1', c_reworked: 'reworked::INTEGER', c_revisions: 'revisions' },
			measures: {
				drafted: total('c_drafted'),
				reworked: countIf('c_reworked'),
				rework_rate: rate('sum(c_reworked)', 'sum(c_drafted)'),
				revisions: total('c_revisions')
			}
		}
	},
	rework_reasons: {
		name: 'rework_reasons',
		label: 'Revision reasons',
		sqlFile: 'rework_reasons.sql',
		timeColumns: ['requested_at', 'first_draft_at', 'published_at'],
		dimensions: [...ORDER_DIMS, 'reason'],
		measures: [
			{ name: 'revisions', label: 'Revisions', type: 'integer', expr: 'count(*)' },
			{ name: 'share', label: 'Share', type: 'ratio', expr: 'count(*)::DOUBLE / sum(count(*)) OVER ()' }
		]
	},
	disputes: {
		name: 'disputes',
		label: 'Disputes',
		sqlFile: 'disputes.sql',
		timeColumns: ['delivered_at', 'opened_at'],
		dimensions: [...ORDER_DIMS, 'reason', 'ruling'],
		measures: [
			{ name: 'delivered', label: 'Delivered orders', type: 'integer', expr: 'count(*)' },
			{ name: 'disputes', label: 'Disputes', type: 'integer', expr: 'count(dispute_id)' },
			{ name: 'dispute_rate', label: 'Dispute rate', type: 'ratio', expr: rate('count(dispute_id)', 'count(*)') },
			{ name: 'provider_fault', label: 'Provider fault', type: 'integer', expr: "count_if(ruling = 'provider_fault')" },
			{ name: 'unclear_requirement', label: 'Unclear requirement', type: 'integer', expr: "count_if(ruling = 'unclear_requirement')" },
			{ name: 'rejected', label: 'Rejection dismissed', type: 'integer', expr: "count_if(ruling = 'rejected')" },
			{ name: 'open_disputes', label: 'Open', type: 'integer', expr: 'count_if(dispute_id IS NOT NULL AND resolved_at IS NULL)' },
			{
				name: 'mean_first_response_hours',
				label: 'Mean first response (h)',
				type: 'hours',
				expr: meanHours(`sum(${us('opened_at', 'first_response_at')})`, `count(${us('opened_at', 'first_response_at')})`)
			},
			{
				name: 'mean_arbitration_hours',
				label: 'Mean arbitration (h)',
				type: 'hours',
				expr: meanHours(`sum(${us('opened_at', 'resolved_at')})`, `count(${us('opened_at', 'resolved_at')})`),
				benchmark: BENCHMARKS.arbitrationHours
			}
		],
		rollup: {
			components: {
				c_delivered: '1',
				c_disputes: '(dispute_id IS NOT NULL)::INTEGER',
				c_provider_fault: "(ruling = 'provider_fault')::INTEGER",
				c_unclear: "(ruling = 'unclear_requirement')::INTEGER",
				c_rejected: "(ruling = 'rejected')::INTEGER",
				c_open: '(dispute_id IS NOT NULL AND resolved_at IS NULL)::INTEGER',
				c_fr_us: us('opened_at', 'first_response_at'),
				c_fr_n: `(${us('opened_at', 'first_response_at')} IS NOT NULL)::INTEGER`,
				c_arb_us: us('opened_at', 'resolved_at'),
				c_arb_n: `(${us('opened_at', 'resolved_at')} IS NOT NULL)::INTEGER`
			},
			measures: {
				delivered: total('c_delivered'),
				disputes: total('c_disputes'),
				dispute_rate: rate('sum(c_disputes)', 'sum(c_delivered)'),
				provider_fault: countIf('c_provider_fault'),
				unclear_requirement: countIf('c_unclear'),
				rejected: countIf('c_rejected'),
				open_disputes: countIf('c_open'),
				mean_first_response_hours: meanHours('sum(c_fr_us)', 'sum(c_fr_n)'),
				mean_arbitration_hours: meanHours('sum(c_arb_us)', 'sum(c_arb_n)')
			}
		}
	},
	dispute_mix: {
		name: 'dispute_mix',
		label: 'Ruling and reason mix',
		sqlFile: 'dispute_mix.sql',
		timeColumns: ['opened_at', 'resolved_at', 'delivered_at'],
		dimensions: [...ORDER_DIMS, 'reason', 'ruling'],
		measures: [
			{ name: 'disputes', label: 'Disputes', type: 'integer', expr: 'count(*)' },
			{ name: 'share', label: 'Share', type: 'ratio', expr: 'count(*)::DOUBLE / sum(count(*)) OVER ()' },
			// Σ µs ÷ count, as the disputes set's mean (so the monthly rollup gives the very same number)
			{
				name: 'mean_arbitration_hours',
				label: 'Mean arbitration (h)',
				type: 'hours',
				expr: meanHours(`sum(${us('opened_at', 'resolved_at')})`, `count(${us('opened_at', 'resolved_at')})`),
				benchmark: BENCHMARKS.arbitrationHours
			},
			{ name: 'last_opened_at', label: 'Last opened', type: 'timestamp', expr: 'max(opened_at)' }
		],
		rollup: {
			components: {
				c_disputes: '1',
				c_arb_us: us('opened_at', 'resolved_at'),
				c_arb_n: `(${us('opened_at', 'resolved_at')} IS NOT NULL)::INTEGER`,
				c_last_opened: 'opened_at'
			},
			max: ['c_last_opened'],
			keys: ['reason_code', 'ruling'],
			// sellers to guide (by seller, unclear_requirement): the 77k disputes, not a join to every order
			rows: true,
			measures: {
				disputes: total('c_disputes'),
				// the same BIGINT ÷ HUGEINT division as the raw count(*)::DOUBLE / sum(count(*)) OVER ()
				share: `${total('c_disputes')}::DOUBLE / sum(${total('c_disputes')}) OVER ()`,
				mean_arbitration_hours: meanHours('sum(c_arb_us)', 'sum(c_arb_n)'),
				last_opened_at: 'max(c_last_opened)'
			}
		}
	},
	compensation: {
		name: 'compensation',
		label: 'Delistings and compensation',
		sqlFile: 'compensation.sql',
		timeColumns: ['compensated_at', 'delisted_at'],
		dimensions: ORDER_DIMS,
		measures: [
			{ name: 'delistings', label: 'Delistings', type: 'integer', expr: 'count(*)' },
			{ name: 'compensated', label: 'Compensated', type: 'integer', expr: 'count(compensated_at)' },
			{ name: 'claimed_loss_fen', label: 'Claimed loss', type: 'fen', expr: 'coalesce(sum(claimed_loss), 0)' },
			{ name: 'compensation_fen', label: 'Compensation', type: 'fen', expr: 'coalesce(sum(compensation_fen), 0)' },
			{ name: 'accountability_met', label: 'Accountability ≤ 48 h', type: 'integer', expr: "count_if(accountability_state = 'met')" },
			{ name: 'accountability_breached', label: 'Accountability late', type: 'integer', expr: "count_if(accountability_state = 'breached')" },
			{
				name: 'accountability_attainment',
				label: 'Accountability attainment',
				type: 'ratio',
				expr: rate("count_if(accountability_state = 'met')", "count_if(accountability_state = 'met') + count_if(accountability_state = 'breached')")
			}
		],
		rollup: {
			components: {
				c_delistings: '1',
				c_compensated: '(compensated_at IS NOT NULL)::INTEGER',
				c_claimed: 'claimed_loss',
				c_compensation: 'compensation_fen',
				c_met: "(accountability_state = 'met')::INTEGER",
				c_breached: "(accountability_state = 'breached')::INTEGER"
			},
			measures: {
				delistings: total('c_delistings'),
				compensated: total('c_compensated'),
				claimed_loss_fen: total('c_claimed'),
				compensation_fen: total('c_compensation'),
				accountability_met: countIf('c_met'),
				accountability_breached: countIf('c_breached'),
				accountability_attainment: rate('sum(c_met)', 'sum(c_met) + sum(c_breached)')
			},
			// accountability started by the watermark, or its 48 h over by then: 'breached' at any later $now
			settled: 'accountability_started_at <= CAST($wm AS TIMESTAMPTZ) OR delisted_at + INTERVAL 48 HOUR < CAST($wm AS TIMESTAMPTZ)'
		}
	}
};

/** The definition a request names (sla needs its `sla`); throws on a request no definition serves. */
export function defFor(req: Pick<MetricRequest, 'metric' | 'sla'>): MetricDef {
	if (req.metric === 'sla' || req.metric === 'sla_items') {
		if (!req.sla) throw new MetricRequestError(`metric ${req.metric} needs an sla (one of the service levels)`);
		return slaDef(req.sla);
	}
	const d = DEFS[req.metric];
	if (!d) throw new MetricRequestError(`metric ${req.metric} is not a grouped metric set`);
	return d;
}

/** The measures a request asks for (all of the set's by default), in the set's order. */
export function measuresOf(def: MetricDef, req: Pick<MetricRequest, 'measures'>): Measure[] {
	if (!req.measures) return def.measures;
	for (const m of req.measures) if (!def.measures.some((x) => x.name === m)) throw new MetricRequestError(`${def.name} has no measure ${m} (one of: ${def.measures.map((x) => x.name).join(', ')})`);
	return def.measures.filter((m) => req.measures!.includes(m.name));
}

/** A request that validates but that the named metric cannot serve (callers answer 400). */
export class MetricRequestError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'MetricRequestError';
	}
}
