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

export const QUANTILE_FN = { exact: 'quantile_cont', approx: 'approx_quantile' } as const;

/** Hours measures over completed items; {q} is replaced with the quantile function. */
function hoursMeasures(benchmark?: number): Measure[] {
	return [
		{ name: 'mean_hours', label: 'Mean hours', type: 'hours', expr: 'avg(hours)', benchmark },
		{ name: 'p50_hours', label: 'p50 hours', type: 'hours', expr: '{q}(hours, 0.5)' },
		{ name: 'p90_hours', label: 'p90 hours', type: 'hours', expr: '{q}(hours, 0.9)' },
		{ name: 'p99_hours', label: 'p99 hours', type: 'hours', expr: '{q}(hours, 0.99)' }
	];
}

const SLA_TARGET_MEASURES: Measure[] = [
	{ name: 'items', label: 'Items', type: 'integer', expr: 'count(*)' },
	{ name: 'met', label: 'Met', type: 'integer', expr: "count_if(state = 'met')" },
	{ name: 'breached', label: 'Breached', type: 'integer', expr: "count_if(state = 'breached')" },
	{ name: 'open', label: 'Open', type: 'integer', expr: "count_if(state IN ('open', 'at_risk'))" },
	{ name: 'at_risk', label: 'At risk', type: 'integer', expr: "count_if(state = 'at_risk')" },
	{ name: 'attainment', label: 'Attainment', type: 'ratio', expr: rate("count_if(state = 'met')", "count_if(state IN ('met', 'breached'))") },
	{ name: 'beyond_calendar', label: 'Deadlines beyond the calendar', type: 'integer', expr: 'count_if(beyond_calendar)' },
	{ name: 'missing_years', label: 'Years missing from the calendar', type: 'text', expr: "string_agg(DISTINCT missing_year::VARCHAR, ',' ORDER BY missing_year::VARCHAR)" }
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
				]
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
					{ name: 'share_explicit', label: 'Share decided explicitly', type: 'ratio', expr: rate("count_if(state = 'met')", "count_if(state IN ('met', 'breached'))") },
					{ name: 'share_auto', label: 'Share auto-accepted', type: 'ratio', expr: rate("count_if(state = 'breached')", "count_if(state IN ('met', 'breached'))") },
					...hoursMeasures()
				]
			};
		case 'dispute_first_response':
		case 'arbitration':
			return {
				...base,
				dimensions: [...ORDER_DIMS, 'reason', 'ruling'],
				measures: [...SLA_TARGET_MEASURES, ...hoursMeasures(sla === 'arbitration' ? BENCHMARKS.arbitrationHours : undefined)]
			};
		case 'payment':
		case 'bill_generation':
			return {
				...base,
				dimensions: sla === 'payment' ? ['seller', 'region', 'month'] : ['month'],
				timeColumns: ['start_at'],
				measures: [...SLA_TARGET_MEASURES, ...hoursMeasures()],
				note:
					sla === 'payment'
						? 'Stop = the last payment recorded for the month; whether it covered amount_due is the billing module’s (bills).'
						: 'Reads bill_runs (month, issued_at) written by the billing job (migration 003).'
			};
		default:
			return { ...base, dimensions: ORDER_DIMS, measures: [...SLA_TARGET_MEASURES, ...hoursMeasures()] };
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
		]
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
		]
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
			{ name: 'mean_first_response_hours', label: 'Mean first response (h)', type: 'hours', expr: 'avg(first_response_hours)' },
			{ name: 'mean_arbitration_hours', label: 'Mean arbitration (h)', type: 'hours', expr: 'avg(arbitration_hours)', benchmark: BENCHMARKS.arbitrationHours }
		]
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
			{ name: 'mean_arbitration_hours', label: 'Mean arbitration (h)', type: 'hours', expr: 'avg(arbitration_hours)', benchmark: BENCHMARKS.arbitrationHours },
			{ name: 'last_opened_at', label: 'Last opened', type: 'timestamp', expr: 'max(opened_at)' }
		]
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
				expr: rate("count_if(accountability_state = 'met')", "count_if(accountability_state IN ('met', 'breached'))")
			}
		]
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

/** A request that validates but that the named metric cannot serve (callers answer 400). */
export class MetricRequestError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'MetricRequestError';
	}
}
