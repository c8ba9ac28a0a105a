/**
 * Pre-aggregates of the metrics layer (README.md): order_facts and order_windows, built once for
 * an existing database (ensurePreaggregates) and refreshed incrementally inside every load's
 * transaction (the afterLoadHook registered below). Readers ask preaggFresh() and fall back to
 * the raw tables when the pre-aggregates do not cover the data (e.g. rows written directly).
 */
import { createHash } from 'node:crypto';
import type { Db } from '../db/connection.ts';
import { afterLoadHooks } from '../ingest/index.ts';
import type { LoadReport } from '../ingest/types.ts';
import { preaggSql } from './sql.ts';
import { sharedAll, type AllEngine as Engine } from '../metrics/in-flight.ts';
import { ensureCtrProviderCube, rebuildCtrUnits, refreshCtrDidCells, refreshCtrUnits } from './ctr-units.ts';
import { incentiveDecisionsCurrent, rebuildIncentiveDecisions, refreshIncentiveDecisions } from './incentive-decisions.ts';
import { rebuildServiceAmounts, refreshServiceAmounts, serviceAmountsCurrent } from './service-amounts.ts';
import { beginRollupRefresh, collectOwnTouchedMonths, collectTouchedMonths, rebuildRollups, refreshRollupMonths, rollupVersion } from './rollups.ts';

export interface RefreshReport {
	full: boolean;
	orders: number;
	windows: number;
	ms: number;
}

const ALL = 'true';
const TOUCHED = 'order_id IN (SELECT order_id FROM _preagg_touched)';
const TOUCHED_W = 'order_id IN (SELECT order_id FROM _preagg_touched_w)';

async function setState(db: Db, key: string, value: string): Promise<void> {
	await db.run(`INSERT OR REPLACE INTO preagg_state VALUES ($k, $v)`, { k: key, v: value });
}

/** The per-order tables' definitions: a changed SQL file (a new column, a new sort order) rebuilds them once. */
const DEFINITION = createHash('sha256')
	.update(['order_facts.sql', 'first_order.sql', 'order_windows.sql'].map((f) => preaggSql(f)).join('\0'))
	.digest('hex')
	.slice(0, 16);

async function fingerprint(db: Db): Promise<string> {
	return `${(await db.one<{ fp: string }>(preaggSql('fingerprint.sql')))!.fp}:${DEFINITION}`;
}

async function lastLoad(db: Db): Promise<number> {
	return (await db.one<{ id: number | null }>(`SELECT max(load_id)::BIGINT AS id FROM loads WHERE status <> 'failed'`))?.id ?? 0;
}

async function appliedLoad(db: Db): Promise<number | null> {
	const r = await db.one<{ value: string }>(`SELECT value FROM preagg_state WHERE key = 'applied_load'`);
	return r ? Number(r.value) : null;
}

/** Rebuilds everything from the raw tables (on the connection given; wrap in a transaction). */
async function rebuildAll(tx: Db): Promise<RefreshReport> {
	const t = performance.now();
	await tx.run('DELETE FROM order_facts');
	await tx.run('DELETE FROM order_windows');
	await tx.run(`INSERT INTO order_facts BY NAME ${preaggSql('order_facts.sql').replaceAll('{{orders_where}}', ALL)}`);
	await tx.run(preaggSql('first_order.sql').replaceAll('{{sellers_where}}', ALL));
	await tx.run(`INSERT INTO order_windows BY NAME ${preaggSql('order_windows.sql').replaceAll('{{orders_where}}', ALL)}`);
	await rebuildCtrUnits(tx);
	await rebuildIncentiveDecisions(tx);
	await rebuildServiceAmounts(tx);
	await rebuildRollups(tx);
	const n = (await tx.one<{ o: number; w: number }>('SELECT (SELECT count(*) FROM order_facts) AS o, (SELECT count(*) FROM order_windows) AS w'))!;
	await setState(tx, 'fingerprint', await fingerprint(tx));
	await setState(tx, 'applied_load', String(await lastLoad(tx)));
	return { full: true, orders: n.o, windows: n.w, ms: performance.now() - t };
}

/** Whether the rollup tables exist and were made by the current definitions. */
async function rollupsCurrent(db: Db): Promise<boolean> {
	const r = await db.one<{ value: string }>(`SELECT value FROM preagg_state WHERE key = 'rollups'`);
	return r?.value === rollupVersion();
}

/** Folds in the rows written by loads after `since` (their _load_id > since). */
async function refreshSince(tx: Db, since: number, upTo: number): Promise<RefreshReport> {
	const t = performance.now();
	await tx.run(preaggSql('touched.sql'), { since });
	await tx.run(preaggSql('touched_windows.sql'), { since });
	const n = (await tx.one<{ o: number; w: number }>('SELECT (SELECT count(*) FROM _preagg_touched) AS o, (SELECT count(*) FROM _preagg_touched_w) AS w'))!;
	const rollups = await rollupsCurrent(tx);
	if (rollups) await beginRollupRefresh(tx);
	if (n.o) {
		if (rollups) await collectTouchedMonths(tx);
		await tx.run(`DELETE FROM order_facts WHERE ${TOUCHED}`);
		await tx.run(`INSERT INTO order_facts BY NAME ${preaggSql('order_facts.sql').replaceAll('{{orders_where}}', TOUCHED)}`);
		await tx.run(preaggSql('first_order.sql').replaceAll('{{sellers_where}}', 'seller_id IN (SELECT seller_id FROM _preagg_touched)'));
		if (rollups) await collectTouchedMonths(tx);
	}
	if (rollups) {
		await collectOwnTouchedMonths(tx, since);
		await refreshRollupMonths(tx);
	} else await rebuildRollups(tx);
	if (n.w) {
		await tx.run(`DELETE FROM order_windows WHERE ${TOUCHED_W}`);
		await tx.run(`INSERT INTO order_windows BY NAME ${preaggSql('order_windows.sql').replaceAll('{{orders_where}}', TOUCHED_W)}`);
		// ctr_units: also every order of a seller whose first order may have moved (first_order.sql)
		await refreshCtrUnits(tx, `${TOUCHED_W} OR seller_id IN (SELECT seller_id FROM _preagg_touched)`);
	}
	// the DiD control cells: CTR days of SKUs without a live order move them too (a no-op when current)
	else await refreshCtrDidCells(tx);
	// the stored service amounts: events of the touched orders (their order_facts, disputes, delistings)
	if (await serviceAmountsCurrent(tx)) {
		if (n.o) await refreshServiceAmounts(tx, '_preagg_touched');
	} else await rebuildServiceAmounts(tx);
	// the stored incentive decisions: inputs from order_facts (touched) and order_windows (touched_w)
	if (n.o || n.w) {
		if (await incentiveDecisionsCurrent(tx)) await refreshIncentiveDecisions(tx, `order_id IN (SELECT order_id FROM _preagg_touched UNION SELECT order_id FROM _preagg_touched_w)`);
		else await rebuildIncentiveDecisions(tx);
	}
	await tx.run('DROP TABLE IF EXISTS _preagg_touched');
	await tx.run('DROP TABLE IF EXISTS _preagg_touched_w');
	await setState(tx, 'applied_load', String(upTo));
	bumpDataVersion();
	return { full: false, orders: n.o, windows: n.w, ms: performance.now() - t };
}

/** Full recompute (tests, repairs). */
export async function rebuildPreaggregates(db: Db): Promise<RefreshReport> {
	const r = await db.tx((tx) => rebuildAll(tx));
	bumpDataVersion();
	return r;
}

/**
 * Start-up: builds the pre-aggregates when they are missing or were made with other reference
 * data (price list, calendar), and folds in loads that ran without the hook (e.g. an older build).
 * Cheap when everything is current. Call it after openProjectDb in the server and the CLI jobs.
 */
export async function ensurePreaggregates(db: Db): Promise<RefreshReport | null> {
	const applied = await appliedLoad(db);
	const fpNow = await fingerprint(db);
	const fpThen = (await db.one<{ value: string }>(`SELECT value FROM preagg_state WHERE key = 'fingerprint'`))?.value;
	const facts = (await db.one<{ n: number }>('SELECT count(*) AS n FROM order_facts'))!.n;
	const orders = (await db.one<{ n: number }>('SELECT count(*) AS n FROM orders'))!.n;
	if (applied === null || fpNow !== fpThen || (facts === 0 && orders > 0)) return rebuildPreaggregates(db);
	const last = await lastLoad(db);
	if (last > applied) return db.tx((tx) => refreshSince(tx, applied, last));
	if (facts !== orders) return rebuildPreaggregates(db);
	const t = performance.now();
	// The stored incentive decisions, when missing or made by an older rule (INCENTIVE_RULE_VERSION).
	let decided: number | null = null;
	if (!(await incentiveDecisionsCurrent(db))) {
		decided = await db.tx((tx) => rebuildIncentiveDecisions(tx));
		bumpDataVersion();
	}
	// The stored service amounts, when missing or made by other definitions (events.sql, constants).
	if (!(await serviceAmountsCurrent(db))) {
		await db.tx((tx) => rebuildServiceAmounts(tx));
		bumpDataVersion();
		decided ??= 0;
	}
	const done = (): RefreshReport => ({ full: false, orders: 0, windows: decided ?? 0, ms: performance.now() - t });
	if (!(await rollupsCurrent(db))) {
		await db.tx((tx) => rebuildRollups(tx));
		bumpDataVersion();
		return done();
	}
	// Databases built before the provider-level CTR cube existed get it here, once.
	if (await db.tx((tx) => ensureCtrProviderCube(tx))) {
		bumpDataVersion();
		return done();
	}
	return decided === null ? null : done();
}

/** The afterLoadHook: runs inside the load's transaction; the load's rows carry _load_id = report.loadId. */
export async function preaggAfterLoad(tx: Db, report: LoadReport): Promise<void> {
	if (report.status === 'failed') return;
	const applied = await appliedLoad(tx);
	if (applied === null) await rebuildAll(tx);
	else await refreshSince(tx, applied, report.loadId);
	bumpDataVersion();
}

let registered = false;
/** Registers preaggAfterLoad once (idempotent; importing this module does it). */
export function registerPreaggHook(): void {
	if (registered) return;
	registered = true;
	afterLoadHooks.push(preaggAfterLoad);
}
registerPreaggHook();

/** Whether the pre-aggregates cover the data right now (one cheap query). */
export async function preaggFresh(engine: Engine): Promise<boolean> {
	return (await preaggState(engine)).fresh;
}

type StateRow = { fresh: boolean; rollups: string | null; rollup_wm: string | null; rollup_unsettled: string | null };
/** Freshness of the pre-aggregates, and the monthly rollups' watermark when they are current too. */
export async function preaggState(engine: Engine): Promise<{ fresh: boolean; rollups: RollupsState | null }> {
	// the requests a page starts together share one (metrics/in-flight.ts)
	const r = (await sharedAll<StateRow>(engine, preaggSql('state.sql'), {}))[0];
	const fresh = Boolean(r?.fresh);
	const current = fresh && !rollupsOff && r.rollups === rollupVersion() && r.rollup_wm !== null;
	if (!current) return { fresh, rollups: null };
	return { fresh, rollups: { watermark: new Date(r.rollup_wm!), ...(r.rollup_unsettled ? { unsettledFrom: JSON.parse(r.rollup_unsettled) } : {}) } };
}

/** The rollups' watermark and, per today-dependent set, the earliest start of an unsettled item (rollups.ts). */
export type RollupsState = { watermark: Date; unsettledFrom?: Record<string, string | null> };

// Tests and benchmarks compare answers with the rollups on and off (same database, same data).
let rollupsOff = false;
/** Turns reading the monthly rollups off (true) or back on; the rollups are still maintained. */
export function setRollupsDisabled(off: boolean): void {
	rollupsOff = off;
}

// An in-process counter the result cache keys on besides the database's own version check.
let dataVersion = 0;
export function bumpDataVersion(): void {
	dataVersion++;
}
export function currentDataVersion(): number {
	return dataVersion;
}
