/**
 * Settled breaches per SLA set (sla_breaches_<set>): one row per item breached at the watermark W
 * and settled there (rollups.ts `settled`: stopped by W, or never stopped with the deadline passed
 * before W), with every column of the breach list (metrics/compile.ts SLA_ITEM_COLUMNS) and every
 * column a filter or the seller scope reads. Such an item shows the same row at any $now ≥ W, so
 * the breach list reads items starting before the first unsettled one from here and only the later
 * ones from the base rows (compile.ts compileSlaItems). Built and refreshed with the rollups, by
 * the month of start_at (`_m`).
 */
import type { MetricDef } from '../metrics/defs.ts';

/** The breach list's columns (compile.ts SLA_ITEM_COLUMNS; a column missing here fails its query, tested). */
const ITEM_COLUMNS = ['item_id', 'order_id', 'seller_id', 'seller_name', 'provider_id', 'provider_name', 'category', 'region', 'start_at', 'deadline', 'stop_at', 'hours', 'allowance_hours', 'state', 'beyond_calendar', 'missing_year'];
const FILTER_COLUMNS = ['image_type', 'form_filled', 'first_order'];

/** SLA sets with a rollup (settled items) have one. */
export function hasBreachTable(def: MetricDef): boolean {
	return !!def.slaWrapped && !!def.rollup?.settled;
}

export function breachTable(def: MetricDef): string {
	return `sla_breaches_${def.name.replace(/^sla\./, '').replace(/[^a-z0-9_]/g, '_')}`;
}

/** The stored columns: the list's, the filters' (reason and ruling where the set has them), payments' "month". */
export function breachColumns(def: MetricDef): string[] {
	return [
		...ITEM_COLUMNS,
		...FILTER_COLUMNS,
		...(def.dimensions.includes('reason') ? ['reason_code'] : []),
		...(def.dimensions.includes('ruling') ? ['ruling'] : []),
		...(def.startsAfterMonth ? ['month'] : [])
	].map((c) => `"${c}"`);
}

/**
 * SELECT of the rows (base = the set's rows with $now already replaced by $wm; `settled` its rule;
 * `month` the start month expression; `touched` restricts to the months being refreshed).
 */
export function breachBuildSql(def: MetricDef, base: string, month: string, touched: string | null): string {
	const where = ['start_at IS NOT NULL', `(${def.rollup!.settled})`, `state = 'breached'`, ...(touched ? [touched] : [])];
	return `${base}
SELECT ${month} AS _m, ${breachColumns(def).join(', ')}
FROM base WHERE ${where.join(' AND ')}
ORDER BY start_at`;
}
