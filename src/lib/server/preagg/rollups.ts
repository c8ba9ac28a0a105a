/**
 * Monthly rollups (Rill/Cube/Druid style): per metric set with a `rollup` in metrics/defs.ts, a
 * table rollup_<set> keyed by (month of the set's default time column, Asia/Shanghai; category,
 * provider_id, region, image_type, form_filled, first_order; the set's extra keys) holding the
 * set's additive components summed. The compiler (metrics/compile.ts) answers an eligible request
 * from it: whole months from the rollup, edge days (and unsettled items) from the base rows, one
 * GROUP BY over both — the same numbers as the raw rows.
 *
 * Today-dependent sets (SLA states) hold only items SETTLED at the watermark W (the newest
 * timestamp in the data when built, never past the real now): stopped at or before W, so their
 * state and hours are the same at any $now ≥ W. A request whose $now is before W is not served
 * from the rollups.
 */
import type { Db } from '../db/connection.ts';
import { DEFS, slaDef, type MetricDef, type Rollup } from '../metrics/defs.ts';
import { sqlFile, templateFile } from '../metrics/sql.ts';
import type { SlaName } from '../metrics/request.ts';
import { breachBuildSql, breachTable, hasBreachTable } from './sla-breaches.ts';
import { qbinsBuildSql, qbinsTable, type QbinLevel } from './rollup-quantiles.ts';

/** The order dimensions every rollup is keyed by (base column names). */
export const ROLLUP_KEYS = ['category', 'provider_id', 'region', 'image_type', 'form_filled', 'first_order'] as const;

const SLA_ROLLUPS: SlaName[] = ['on_time_delivery', 'first_draft', 'acceptance', 'dispute_first_response', 'arbitration', 'provider_accountability', 'payment'];

/**
 * Rollups of sets whose definition in metrics/defs.ts has none (kept here until they move there; same
 * contract as `MetricDef.rollup`). Revision reasons: one component, the revision count, keyed also by
 * the reason; share = count ÷ Σ count over the groups, the same BIGINT ÷ HUGEINT division as the raw
 * `count(*)::DOUBLE / sum(count(*)) OVER ()`.
 */
const REVISIONS = 'coalesce(sum(c_revisions), 0)::BIGINT';
const EXTRA_ROLLUPS: Record<string, Rollup> = {
	rework_reasons: {
		components: { c_revisions: '1' },
		keys: ['reason_code'],
		measures: { revisions: REVISIONS, share: `${REVISIONS}::DOUBLE / sum(${REVISIONS}) OVER ()` }
	}
};

/** The definition with its rollup (its own, or the one above). */
export function withRollup(def: MetricDef): MetricDef {
	const extra = EXTRA_ROLLUPS[def.name];
	return def.rollup || !extra ? def : { ...def, rollup: extra };
}

/** The definitions that have a rollup (SLA definitions are made per service level). */
export function rollupDefs(): MetricDef[] {
	return [...Object.values(DEFS), ...SLA_ROLLUPS.map((s) => slaDef(s))].map(withRollup).filter((d) => d.rollup);
}

/**
 * Three rollups per set, as a Cube-style pre-aggregation choice: 'fine' keyed by every order
 * dimension (many rows a month at scale: hundreds of providers × the other keys), and two summed
 * from it — 'coarse' without the provider (a few hundred rows a month) for requests that neither
 * filter nor group by provider, and 'provider' keyed by the provider alone (plus the set's extra
 * keys) for provider tables without other filters.
 */
export type RollupLevel = 'fine' | 'coarse' | 'provider';

/** Table name of a definition's rollup ('sla.first_draft' → rollup_sla_first_draft[_coarse|_provider]). */
export function rollupTable(def: MetricDef, level: RollupLevel | 'hours' | 'rows' = 'fine'): string {
	return `rollup_${def.name.replace(/[^a-z0-9_]/g, '_')}${level === 'fine' ? '' : `_${level}`}`;
}

/** The key columns of a rollup besides month (provider_name rides along with provider_id). */
export function rollupKeys(def: MetricDef, level: RollupLevel): string[] {
	const extra = def.rollup?.keys ?? [];
	if (level === 'provider') return ['provider_id', ...extra, 'provider_name'];
	const keys = [...ROLLUP_KEYS, ...extra];
	return level === 'coarse' ? keys.filter((k) => k !== 'provider_id') : [...keys, 'provider_name'];
}

const ident = (s: string) => {
	if (!/^[a-z_][a-z0-9_]*$/.test(s)) throw new Error(`not an identifier: ${s}`);
	return `"${s}"`;
};

/** The base rows of a definition (no scope), over order_facts; $now is bound by the caller. */
export function rollupBase(def: MetricDef): string {
	let base = templateFile(def.sqlFile, true);
	if (def.slaWrapped) base = sqlFile('sla_state.sql').replace('{{items}}', () => base);
	return `WITH od AS (\n${templateFile('order_dims.sql', true)}\n),\nbase AS (\n${base}\n)`;
}

/** The Shanghai month (YYYY-MM) of the default time column, as the compiler's month dimension. */
export function monthExpr(def: MetricDef): string {
	return `strftime(make_timestamp(epoch_us(${ident(def.timeColumns[0])}) + 28800000000), '%Y-%m')`;
}

/** A component's roll-up: a BIGINT sum, or the max of the value itself (`Rollup.max`). */
const agg = (def: MetricDef, c: string, e: string) => (def.rollup!.max?.includes(c) ? `max(${e})` : `sum(${e})::BIGINT`);

/** A derived rollup's rows, summed from the fine table (all months or the touched ones). */
function derivedSql(def: MetricDef, level: 'coarse' | 'provider', months: 'all' | 'touched'): string {
	const keys = ['month', ...rollupKeys(def, level).filter((k) => k !== 'provider_name')].map(ident);
	const comps = Object.keys(def.rollup!.components).map((c) => `${agg(def, c, ident(c))} AS ${ident(c)}`);
	const name = level === 'provider' ? ', any_value(provider_name) AS provider_name' : '';
	const where = months === 'touched' ? ` WHERE "month" IN (SELECT "month" FROM _rollup_months WHERE set_name = $set)` : '';
	return `SELECT ${keys.join(', ')}${name}, ${comps.join(', ')} FROM ${rollupTable(def)}${where} GROUP BY ${keys.join(', ')}`;
}
const DERIVED = ['coarse', 'provider'] as const;

/**
 * Quantiles are not decomposable, but exact ones only need the values: rollup_<set>_hours holds
 * one narrow row per settled item with a duration (month, the fine keys, hours_us), sorted by
 * month, so p50/p90/p99 of whole months read one column of it instead of the set's template.
 * For SLA sets with hours measures (settled items only, like the rollup itself).
 */
export function hasHoursTable(def: MetricDef): boolean {
	return !!def.rollup?.settled && !!def.quantiles;
}

/** SQL that builds a set's hours rows (all months, or those of _rollup_months for $set); binds $wm. */
export function hoursBuildSql(def: MetricDef, months: 'all' | 'touched'): string {
	const r = def.rollup!;
	const keys = [...ROLLUP_KEYS, ...(r.keys ?? [])].map(ident);
	const where = [`${ident(def.timeColumns[0])} IS NOT NULL`, `(${r.settled})`, 'hours_us IS NOT NULL'];
	if (months === 'touched') where.push(`${monthExpr(def)} IN (SELECT "month" FROM _rollup_months WHERE set_name = $set)`);
	return `${rollupBase(def).replaceAll('$now', '$wm')}
SELECT ${monthExpr(def)} AS "month", ${keys.join(', ')}, hours_us::BIGINT AS hours_us
FROM base WHERE ${where.join(' AND ')}
ORDER BY "month"`;
}

const QBIN_LEVELS: QbinLevel[] = ['coarse', 'provider'];

/** Sets whose base rows are stored too (`Rollup.rows`; never today-dependent ones). */
export function hasRowsTable(def: MetricDef): boolean {
	return !!def.rollup?.rows && !def.rollup.settled && !def.slaWrapped;
}

/** SQL that builds a set's stored base rows (all months, or those of _rollup_months for $set), with their month `_m`. */
export function rowsBuildSql(def: MetricDef, months: 'all' | 'touched'): string {
	const where = months === 'touched' ? `\nWHERE ${monthExpr(def)} IN (SELECT "month" FROM _rollup_months WHERE set_name = $set)` : '';
	return `${rollupBase(def)}
SELECT ${monthExpr(def)} AS _m, * FROM base${where}
ORDER BY ${ident(def.timeColumns[0])}`;
}

/** The binned durations of a set with an hours table (rollup-quantiles.ts), from that table. */
function qbinsSql(def: MetricDef, level: QbinLevel, months: 'all' | 'touched'): string {
	return qbinsBuildSql(rollupTable(def, 'hours'), level, months);
}

/** SQL that builds a set's settled breaches (sla-breaches.ts; all months or those of _rollup_months); binds $wm. */
export function breachesSql(def: MetricDef, months: 'all' | 'touched'): string {
	const touched = months === 'touched' ? `${monthExpr(def)} IN (SELECT "month" FROM _rollup_months WHERE set_name = $set)` : null;
	return breachBuildSql(def, rollupBase(def).replaceAll('$now', '$wm'), monthExpr(def), touched);
}

/** SQL that builds a rollup's rows (all months, or those of _rollup_months for $set); binds $wm. */
export function rollupBuildSql(def: MetricDef, months: 'all' | 'touched'): string {
	const r = def.rollup!;
	const keys = [...ROLLUP_KEYS, ...(r.keys ?? [])].map(ident);
	const comps = Object.entries(r.components).map(([c, e]) => `${agg(def, c, e)} AS ${ident(c)}`);
	const t = ident(def.timeColumns[0]);
	const where = [`${t} IS NOT NULL`, ...(r.settled ? [`(${r.settled})`] : [])];
	if (months === 'touched') where.push(`${monthExpr(def)} IN (SELECT "month" FROM _rollup_months WHERE set_name = $set)`);
	// $now = $wm: an item settled at the watermark has the same state at any later $now.
	const base = rollupBase(def).replaceAll('$now', '$wm');
	return `${base}
SELECT ${monthExpr(def)} AS "month", ${keys.join(', ')}, any_value(provider_name) AS provider_name, ${comps.join(', ')}
FROM base WHERE ${where.join(' AND ')}
GROUP BY ALL`;
}

/** Identifies the rollup definitions: a change rebuilds the rollups (preagg_state 'rollups'). */
let version: string | undefined;
export function rollupVersion(): string {
	if (version) return version;
	const text = rollupDefs()
		.map((d) => `${rollupTable(d)}:${rollupBuildSql(d, 'all')}\n${derivedSql(d, 'coarse', 'all')}\n${derivedSql(d, 'provider', 'all')}\n${hasHoursTable(d) ? [hoursBuildSql(d, 'all'), ...QBIN_LEVELS.map((l) => qbinsSql(d, l, 'all'))].join('\n') : ''}\n${hasBreachTable(d) ? breachesSql(d, 'all') : ''}\n${hasRowsTable(d) ? rowsBuildSql(d, 'all') : ''}`)
		.join('\n');
	let h = 0;
	for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
	version = `v4-${(h >>> 0).toString(16)}-${text.length}`;
	return version;
}

// The newest instant in the data (never past the real now): items stopped by then are settled.
const WATERMARK_SQL = `SELECT least(now(), greatest(
  (SELECT max(greatest(published_at, matched_at, first_draft_at, delivered_at, accepted_at, live_at, cancelled_at)) FROM orders),
  (SELECT max(greatest(opened_at, first_response_at, resolved_at)) FROM disputes),
  (SELECT max(greatest(delisted_at, accountability_started_at, compensated_at)) FROM delistings),
  (SELECT max(requested_at) FROM revisions),
  (SELECT max(paid_at) FROM payments)
)) AS wm`;

async function newWatermark(tx: Db, old: string | null): Promise<string> {
	const w = (await tx.one<{ wm: Date | null }>(WATERMARK_SQL))?.wm ?? new Date(0);
	const iso = w.toISOString();
	return old && old > iso ? old : iso;
}

/**
 * Per today-dependent set, the earliest start of an item NOT settled at the watermark (null: none).
 * Items of whole months starting before it are all in the rollup, so a request reads base rows of
 * whole months only from then on — a range on the time column that reaches the table scan instead
 * of deciding "settled" for every row of the range. Kept in preagg_state 'rollup_unsettled' (JSON).
 */
async function storeUnsettledFrom(tx: Db, wm: string): Promise<void> {
	const out: Record<string, string | null> = {};
	for (const def of rollupDefs()) {
		if (!def.rollup!.settled) continue;
		const t = ident(def.timeColumns[0]);
		const sql = `${rollupBase(def).replaceAll('$now', '$wm')}
SELECT min(${t}) AS f FROM base WHERE ${t} IS NOT NULL AND NOT coalesce(${def.rollup!.settled}, false)`;
		const f = (await tx.one<{ f: Date | null }>(sql, used(sql, { wm })))?.f ?? null;
		out[def.name] = f ? f.toISOString() : null;
	}
	await tx.run(`INSERT OR REPLACE INTO preagg_state VALUES ('rollup_unsettled', $v)`, { v: JSON.stringify(out) });
}

/** Every rollup from scratch (inside the caller's transaction). */
export async function rebuildRollups(tx: Db): Promise<void> {
	const wm = await newWatermark(tx, null);
	for (const def of rollupDefs()) {
		const sql = rollupBuildSql(def, 'all');
		await tx.run(`CREATE OR REPLACE TABLE ${rollupTable(def)} AS ${sql}`, used(sql, { wm }));
		for (const level of DERIVED) await tx.run(`CREATE OR REPLACE TABLE ${rollupTable(def, level)} AS ${derivedSql(def, level, 'all')}`);
		if (hasHoursTable(def)) {
			const h = hoursBuildSql(def, 'all');
			await tx.run(`CREATE OR REPLACE TABLE ${rollupTable(def, 'hours')} AS ${h}`, used(h, { wm }));
			for (const l of QBIN_LEVELS) await tx.run(`CREATE OR REPLACE TABLE ${qbinsTable(def.name, l)} AS ${qbinsSql(def, l, 'all')}`);
		}
		if (hasRowsTable(def)) await tx.run(`CREATE OR REPLACE TABLE ${rollupTable(def, 'rows')} AS ${rowsBuildSql(def, 'all')}`);
		if (hasBreachTable(def)) {
			const b = breachesSql(def, 'all');
			await tx.run(`CREATE OR REPLACE TABLE ${breachTable(def)} AS ${b}`, used(b, { wm }));
		}
	}
	await storeUnsettledFrom(tx, wm);
	await tx.run(`INSERT OR REPLACE INTO preagg_state VALUES ('rollup_wm', $v), ('rollups', $r)`, { v: wm, r: rollupVersion() });
}

function used(sql: string, params: Record<string, unknown>): Record<string, unknown> {
	return Object.fromEntries(Object.entries(params).filter(([k]) => new RegExp(`\\$${k}\\b`).test(sql)));
}

/**
 * Starts a refresh: the months to rebuild go to _rollup_months. First those holding items not
 * settled at the old watermark (they may be settled at the new one).
 */
export async function beginRollupRefresh(tx: Db): Promise<void> {
	await tx.run('CREATE OR REPLACE TEMP TABLE _rollup_months (set_name VARCHAR, "month" VARCHAR)');
	const wm = (await tx.one<{ value: string }>(`SELECT value FROM preagg_state WHERE key = 'rollup_wm'`))?.value ?? new Date(0).toISOString();
	for (const def of rollupDefs()) {
		if (!def.rollup!.settled) continue;
		const s = `${rollupBase(def).replaceAll('$now', '$wm')}
INSERT INTO _rollup_months SELECT DISTINCT $set, ${monthExpr(def)} FROM base
WHERE ${ident(def.timeColumns[0])} IS NOT NULL AND NOT coalesce(${def.rollup!.settled}, false)`;
		await tx.run(s, used(s, { set: def.name, wm }));
	}
}

/**
 * Months whose rollup rows a refresh of order_facts may change: the months of every base row of
 * the touched sellers' orders (first_order moves within a seller). Call before and after
 * order_facts is updated (old and new months).
 */
export async function collectTouchedMonths(tx: Db): Promise<void> {
	const wm = (await tx.one<{ value: string }>(`SELECT value FROM preagg_state WHERE key = 'rollup_wm'`))?.value ?? new Date().toISOString();
	for (const def of rollupDefs()) {
		if (def.rollup!.touched) continue;
		const sql = `${rollupBase(def)}
INSERT INTO _rollup_months SELECT DISTINCT $set, ${monthExpr(def)} FROM base
WHERE seller_id IN (SELECT seller_id FROM _preagg_touched) AND ${ident(def.timeColumns[0])} IS NOT NULL`;
		await tx.run(sql, used(sql, { set: def.name, now: wm }));
	}
}

/** Months of the sets that are not order-based (payments), from the rows of loads after $since. */
export async function collectOwnTouchedMonths(tx: Db, since: number): Promise<void> {
	for (const def of rollupDefs()) {
		if (!def.rollup!.touched) continue;
		await tx.run(`INSERT INTO _rollup_months SELECT DISTINCT $set, m FROM (${def.rollup!.touched}) t(m)`, { set: def.name, since });
	}
}

/** Rebuilds the touched months (after collectTouchedMonths 'before' and 'after'). */
export async function refreshRollupMonths(tx: Db): Promise<number> {
	const old = (await tx.one<{ value: string }>(`SELECT value FROM preagg_state WHERE key = 'rollup_wm'`))?.value ?? null;
	const wm = await newWatermark(tx, old);
	let n = 0;
	for (const def of rollupDefs()) {
		await tx.run(`DELETE FROM ${rollupTable(def)} WHERE "month" IN (SELECT "month" FROM _rollup_months WHERE set_name = $set)`, { set: def.name });
		const sql = rollupBuildSql(def, 'touched');
		await tx.run(`INSERT INTO ${rollupTable(def)} BY NAME ${sql}`, used(sql, { wm, set: def.name }));
		for (const level of DERIVED) {
			await tx.run(`DELETE FROM ${rollupTable(def, level)} WHERE "month" IN (SELECT "month" FROM _rollup_months WHERE set_name = $set)`, { set: def.name });
			await tx.run(`INSERT INTO ${rollupTable(def, level)} BY NAME ${derivedSql(def, level, 'touched')}`, { set: def.name });
		}
		if (hasHoursTable(def)) {
			await tx.run(`DELETE FROM ${rollupTable(def, 'hours')} WHERE "month" IN (SELECT "month" FROM _rollup_months WHERE set_name = $set)`, { set: def.name });
			const h = hoursBuildSql(def, 'touched');
			await tx.run(`INSERT INTO ${rollupTable(def, 'hours')} BY NAME ${h}`, used(h, { wm, set: def.name }));
			for (const l of QBIN_LEVELS) {
				await tx.run(`DELETE FROM ${qbinsTable(def.name, l)} WHERE "month" IN (SELECT "month" FROM _rollup_months WHERE set_name = $set)`, { set: def.name });
				await tx.run(`INSERT INTO ${qbinsTable(def.name, l)} BY NAME ${qbinsSql(def, l, 'touched')}`, { set: def.name });
			}
		}
		if (hasRowsTable(def)) {
			await tx.run(`DELETE FROM ${rollupTable(def, 'rows')} WHERE _m IN (SELECT "month" FROM _rollup_months WHERE set_name = $set)`, { set: def.name });
			await tx.run(`INSERT INTO ${rollupTable(def, 'rows')} BY NAME ${rowsBuildSql(def, 'touched')}`, { set: def.name });
		}
		if (hasBreachTable(def)) {
			await tx.run(`DELETE FROM ${breachTable(def)} WHERE _m IN (SELECT "month" FROM _rollup_months WHERE set_name = $set)`, { set: def.name });
			const b = breachesSql(def, 'touched');
			await tx.run(`INSERT INTO ${breachTable(def)} BY NAME ${b}`, used(b, { wm, set: def.name }));
		}
		n += (await tx.one<{ n: number }>(`SELECT count(DISTINCT "month") AS n FROM _rollup_months WHERE set_name = $set`, { set: def.name }))!.n;
	}
	await storeUnsettledFrom(tx, wm);
	await tx.run(`INSERT OR REPLACE INTO preagg_state VALUES ('rollup_wm', $v)`, { v: wm });
	await tx.run('DROP TABLE IF EXISTS _rollup_months');
	return n;
}
