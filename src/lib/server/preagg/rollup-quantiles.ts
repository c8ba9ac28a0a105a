/**
 * Exact p50/p90/p99 hours of whole months without a quantile over every duration.
 *
 * `quantile_cont` over the ~2M settled durations of a year (rollup_<set>_hours) costs 200–400 ms at
 * scale 100: DuckDB gathers every value of a group and selects in it. But the answer only needs two
 * order statistics per fraction — DuckDB's definition (quantile_cont, double input): with N values,
 * RN = (N − 1)·f, lo/hi = the ⌊RN⌋-th and ⌈RN⌉-th smallest, result = lo·(1 − d) + hi·d with
 * d = RN − ⌊RN⌋ (lo alone when ⌊RN⌋ = ⌈RN⌉) — and duration → hours ((µs / 1e6) / 3600.0) is monotone,
 * so the order statistics of the hours are those of the integer microseconds, converted.
 *
 * So the durations are also stored binned (rollup_<set>_qbins: month × bucket of `hours_us // width`;
 * rollup_<set>_qbins_provider: also by provider), each bin with its count and its values. A request
 * sums the counts of its months (+ the edge rows, binned on the fly), finds per group the bin holding
 * each wanted rank from the running count, and sorts only those bins' values (their stored lists
 * concatenated and list_sort-ed: ~15% less CPU than unnest + list(x ORDER BY x)). Same doubles as
 * `quantile_cont(hours, [f…])` over the same rows (tested: test/integration/preagg/rollups.test.ts).
 * Used for requests with no filter but the provider, grouped by nothing, month (coarse bins) or
 * provider (provider bins); others read rollup_<set>_hours. A table showing 15 of 60 providers asks
 * for its page's groups only (`groupsIn`, from the request's holisticWindow): a quarter of the bins.
 */

let disabled = false;
/** Off: quantiles of whole months from rollup_<set>_hours again (A/B benchmarks). */
export function setQbinsDisabled(off: boolean): void {
	disabled = off;
}
export const qbinsDisabled = (): boolean => disabled;

/** Bin width in µs: 1 h for the month bins (a few thousand rows a year), 16 h per provider. */
export const QBIN_WIDTH = { coarse: 3_600_000_000, provider: 57_600_000_000 } as const;
export type QbinLevel = keyof typeof QBIN_WIDTH;

/** rollup_<set>_qbins[_provider] (the set's name as rollups.ts rollupTable spells it). */
export function qbinsTable(setName: string, level: QbinLevel): string {
	return `rollup_${setName.replace(/[^a-z0-9_]/g, '_')}_qbins${level === 'provider' ? '_provider' : ''}`;
}

/** SELECT of a set's bins from its hours table (all months, or those of _rollup_months for $set). */
export function qbinsBuildSql(hoursTable: string, level: QbinLevel, months: 'all' | 'touched'): string {
	const keys = level === 'provider' ? '"month", provider_id' : '"month"';
	const where = months === 'touched' ? ` WHERE "month" IN (SELECT "month" FROM _rollup_months WHERE set_name = $set)` : '';
	// the values unsorted: a request sorts the few bins it reads
	return `SELECT ${keys}, hours_us // ${QBIN_WIDTH[level]} AS bucket, count(*)::BIGINT AS n, list(hours_us) AS vals
FROM ${hoursTable}${where}
GROUP BY ${keys}, bucket
ORDER BY ${keys}, bucket`;
}

export interface BinnedQuantiles {
	/** the bins table (qbinsTable) */
	table: string;
	level: QbinLevel;
	/** group column in both the bins and the edge rows ("month", provider_id) or null for one total row */
	group: string | null;
	/** the output name of the group column (hol.<name>) */
	groupAs: string | null;
	/** WHERE clauses on the bins (month range, provider filter) */
	where: string[];
	/** an `edge` CTE with the group column and c_hours_us (NULL: no duration) exists */
	edge: boolean;
	/** the fractions, as SQL number literals ("0.5", "0.9", "0.99") */
	fractions: string[];
	/** a relation with column g: only these groups get quantiles (the rows a table shows) */
	groupsIn?: string;
}

/**
 * CTEs ending with `hol` (the group column AS groupAs, and "_q": the quantiles in the order of the
 * fractions, hours as DOUBLE), to follow the caller's `edge` CTE. A group without durations has no row.
 */
export function binnedQuantilesCtes(b: BinnedQuantiles): string {
	const w = QBIN_WIDTH[b.level];
	const g = b.group ?? '0';
	const fr = b.fractions.map((f, i) => `(${i + 1}, CAST(${f} AS DOUBLE))`).join(', ');
	// NULL-safe membership (a NULL group key is a group too)
	const only = (x: string) =>
		b.groupsIn && b.group ? ` AND (${x} IN (SELECT g FROM ${b.groupsIn}) OR (${x} IS NULL AND EXISTS (SELECT 1 FROM ${b.groupsIn} WHERE g IS NULL)))` : '';
	const edgeCounts = b.edge ? `\n  UNION ALL\n  SELECT ${g} AS g, c_hours_us // ${w} AS bucket, 1 AS n FROM edge WHERE c_hours_us IS NOT NULL${only(g)}` : '';
	const edgeVals = b.edge
		? `\n  UNION ALL\n  SELECT k.g, k.bucket, [e.c_hours_us] AS x FROM qneed k JOIN edge e ON e.c_hours_us // ${w} = k.bucket AND ${b.group ? `e.${g}` : '0'} IS NOT DISTINCT FROM k.g`
		: '';
	const eq = (a: string) => (b.group ? `${a}.${g}` : '0');
	const hiX = 'min(x) FILTER (hi = 1)';
	const loX = 'min(x) FILTER (hi = 0)';
	const d = '(any_value(rn) - floor(any_value(rn)))';
	return `, qbn AS (
  SELECT g, bucket, sum(n) AS n FROM (
  SELECT ${eq('t')} AS g, bucket, n FROM ${b.table} t WHERE ${b.where.join(' AND ') || 'true'}${only(eq('t'))}${edgeCounts}
  ) GROUP BY g, bucket
)
, qbc AS (SELECT g, bucket, n, sum(n) OVER (PARTITION BY g ORDER BY bucket ROWS UNBOUNDED PRECEDING) AS cum, sum(n) OVER (PARTITION BY g) AS total FROM qbn)
, qrn AS (SELECT g, qi, (total - 1)::DOUBLE * f AS rn FROM (SELECT DISTINCT g, total FROM qbc), (VALUES ${fr}) v(qi, f))
, qpos AS (
  SELECT r.g, r.qi, r.rn, r.hi, c.bucket, (r.k - (c.cum - c.n))::BIGINT AS kin
  FROM (SELECT g, qi, rn, floor(rn)::BIGINT AS k, 0 AS hi FROM qrn UNION ALL SELECT g, qi, rn, ceil(rn)::BIGINT AS k, 1 AS hi FROM qrn) r
  JOIN qbc c ON c.g IS NOT DISTINCT FROM r.g AND r.k >= c.cum - c.n AND r.k < c.cum
)
, qneed AS (SELECT DISTINCT g, bucket FROM qpos)
, qvals AS (
  SELECT g, bucket, list_sort(flatten(list(x))) AS v FROM (
  SELECT k.g, k.bucket, t.vals AS x FROM qneed k JOIN ${b.table} t ON t.bucket = k.bucket AND ${eq('t')} IS NOT DISTINCT FROM k.g WHERE ${b.where.join(' AND ') || 'true'}${edgeVals}
  ) GROUP BY g, bucket
)
, qx AS (SELECT p.g, p.qi, p.rn, p.hi, (v.v[p.kin + 1] / 1e6) / 3600.0 AS x FROM qpos p JOIN qvals v ON v.g IS NOT DISTINCT FROM p.g AND v.bucket = p.bucket)
, qres AS (SELECT g, qi, CASE WHEN floor(any_value(rn)) = ceil(any_value(rn)) THEN ${loX} ELSE ${loX} * (1.0 - ${d}) + ${hiX} * ${d} END AS q FROM qx GROUP BY g, qi)
, hol AS (SELECT ${b.groupAs ? `g AS "${b.groupAs}", ` : ''}list(q ORDER BY qi) AS "_q" FROM qres GROUP BY g)`;
}
