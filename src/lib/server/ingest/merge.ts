/**
 * Inside the load's transaction: cross-row checks of a staged table, then the upsert by key.
 *
 * Rejects of a table collect in TEMP table `_rej_<table>` (_ord = record ordinal, _err =
 * 'column<TAB>reason'); each check only looks at rows not rejected yet, so a row reports one reason.
 * Upsert ("newer wins"): a good row identical to the stored row of its key changes nothing (its
 * _load_id stays); a different one replaces it; a new key is inserted. Nothing is ever deleted
 * except the old version of a replaced key. Set-based: one hash join against the table, skipped
 * entirely when the table is empty (the first load).
 */
import type { Db } from '../db/connection.ts';
import { ident, literal } from '../db/connection.ts';
import { TABLES, type TableName } from '../db/contract.ts';
import { crossRules, failCase, uniqueKeys } from './rules.ts';

export const rejName = (t: TableName) => ident(`_rej_${t}`);

const count = async (tx: Db, sql: string) => (await tx.one<{ n: number }>(`SELECT count(*)::BIGINT AS n FROM ${sql}`))?.n ?? 0;

/**
 * True when the key (one or two columns) is proven unique in `rel` without grouping every row.
 * NULL key columns are left out (`notNull`). Every proof holds for any order the scan takes, so
 * the check is always sound; the order only decides whether it succeeds (then the caller groups).
 *
 * - strictly increasing in scan order (lexicographically by (a, b), else by (b, a)): a file sorted
 *   by its key, and ctr_daily SKU by SKU, day by day (or day by day, SKU by SKU). Asked as "is
 *   there a violation? LIMIT 1" over a streaming lag(): one pass without a hash table when the
 *   proof holds, and it stops at the first violation when it does not (a shuffled file costs
 *   next to nothing here);
 * - with two columns, rows of each value of one column forming a single run (runs = distinct
 *   values) with the other column strictly increasing inside each run: no two rows share the key.
 */
export async function provenUnique(tx: Db, rel: string, key: string[], notNull = 'true'): Promise<boolean> {
	const k = key.map(ident);
	if (k.length !== 1 && k.length !== 2) return false;
	const increasing = async (a: string, b?: string) => {
		const cols = b ? `${a} AS a, ${b} AS b, lag(${a}) OVER () AS pa, lag(${b}) OVER () AS pb` : `${a} AS a, lag(${a}) OVER () AS pa`;
		const violation = b ? 'a < pa OR (a = pa AND b <= pb)' : 'a <= pa';
		return !(await tx.one(`SELECT 1 AS x FROM (SELECT ${cols} FROM ${rel} WHERE ${notNull}) WHERE ${violation} LIMIT 1`));
	};
	if (k.length === 1) return increasing(k[0]);
	const [a, b] = k;
	if ((await increasing(a, b)) || (await increasing(b, a))) return true;
	// Counting runs is cheap; the distinct count (a hash table) only for an order that can pass.
	const r = await tx.one<{ ra: number; va: number; rb: number; vb: number }>(
		`SELECT count(*) FILTER (WHERE pa IS DISTINCT FROM a)::BIGINT AS ra, count(*) FILTER (WHERE pa = a AND b <= pb)::BIGINT AS va, ` +
			`count(*) FILTER (WHERE pb IS DISTINCT FROM b)::BIGINT AS rb, count(*) FILTER (WHERE pb = b AND a <= pa)::BIGINT AS vb ` +
			`FROM (SELECT ${a} AS a, ${b} AS b, lag(${a}) OVER () AS pa, lag(${b}) OVER () AS pb FROM ${rel} WHERE ${notNull})`
	);
	if (!r) return false;
	for (const [runs, violations, col] of [[r.rb, r.vb, b], [r.ra, r.va, a]] as const) {
		if (violations !== 0) continue;
		const d = await tx.one<{ n: number }>(`SELECT count(DISTINCT ${col})::BIGINT AS n FROM ${rel} WHERE ${notNull}`);
		if (d?.n === runs) return true;
	}
	return false;
}

/**
 * Fills `_rej_<table>` from the staged relation `s` and returns the number of rejected rows.
 * `ord` is the SQL of a row's ordinal in the file (`rowid` for a table staged outside the load's
 * transaction; a table made inside it numbers its rows from a high base).
 */
export async function checkTable(tx: Db, s: string, table: TableName, ord = 'rowid'): Promise<number> {
	const rej = rejName(table);
	const sOrd = ord.replaceAll('rowid', 's.rowid');
	await tx.run(`CREATE OR REPLACE TEMP TABLE ${rej} AS SELECT ${ord} AS _ord, _err FROM ${s} WHERE _err IS NOT NULL`);
	let rejected = await count(tx, rej);
	const notRejected = (alias: string) => (rejected ? ` AND ${ord.replaceAll('rowid', `${alias}.rowid`)} NOT IN (SELECT _ord FROM ${rej})` : '');

	// A key repeated inside the file: the first occurrence (in file order) is the one; later ones are bad.
	// Most files are proven unique by provenUnique; otherwise group 8-byte hashes (cheaper than the
	// keys themselves), then compare only rows whose hash repeats by their real key.
	for (const key of uniqueKeys[table]) {
		const k = key.map(ident);
		const notNull = k.map((c) => `${c} IS NOT NULL`).join(' AND ');
		if (await provenUnique(tx, s, key, notNull)) continue;
		const hashes = ident(`_duph_${table}`);
		await tx.run(`CREATE OR REPLACE TEMP TABLE ${hashes} AS SELECT hash(${k.join(', ')}) AS h FROM ${s} WHERE ${notNull} GROUP BY 1 HAVING count(*) > 1`);
		if (await count(tx, hashes)) {
			const dups = `(SELECT ${k.join(', ')}, min(${ord}) AS _first FROM ${s} WHERE ${notNull} AND hash(${k.join(', ')}) IN (SELECT h FROM ${hashes}) GROUP BY ALL HAVING count(*) > 1)`;
			const reason = key.length > 1 ? `key (${key.join(', ')}) repeated in the file` : `${key[0]} repeated in the file`;
			await tx.run(
				`INSERT INTO ${rej} SELECT ${sOrd}, ${literal(`${key[0]}\t${reason}; its first occurrence loads`)} FROM ${s} s JOIN ${dups} d ON ${k
					.map((c) => `s.${c} = d.${c}`)
					.join(' AND ')} WHERE ${sOrd} > d._first${notRejected('s')}`
			);
			rejected = await count(tx, rej);
		}
		await tx.run(`DROP TABLE ${hashes}`);
	}

	const rule = crossRules[table];
	if (rule) {
		await tx.run(
			`INSERT INTO ${rej} SELECT _ord, _err FROM (SELECT ${sOrd} AS _ord, ${failCase(rule.checks)} AS _err FROM ${s} s ${rule.joins} WHERE true${notRejected('s')}) WHERE _err IS NOT NULL`
		);
		rejected = await count(tx, rej);
	}
	return rejected;
}

export interface MergeCounts {
	loaded: number;
	replaced: number;
	unchanged: number;
}

export async function mergeTable(tx: Db, s: string, table: TableName, loadId: number, rejected: number): Promise<MergeCounts> {
	const spec = TABLES[table];
	const cols = spec.columns.map((c) => ident(c.name));
	const good = rejected ? `(SELECT ${cols.join(', ')} FROM ${s} WHERE rowid NOT IN (SELECT _ord FROM ${rejName(table)}))` : s;
	const target = ident(table);
	const goodCount = await count(tx, good);
	const empty = !(await tx.one(`SELECT 1 AS x FROM ${target} LIMIT 1`));
	if (empty) {
		await tx.run(`INSERT INTO ${target} (${cols.join(', ')}, _load_id) SELECT ${cols.join(', ')}, $load FROM ${good}`, { load: loadId });
		return { loaded: goodCount, replaced: 0, unchanged: 0 };
	}
	const keys = spec.key.map(ident);
	const chg = ident(`_chg_${table}`);
	const same = cols.map((c) => `g.${c} IS NOT DISTINCT FROM t.${c}`).join(' AND ');
	await tx.run(
		`CREATE OR REPLACE TEMP TABLE ${chg} AS SELECT ${cols.map((c) => `g.${c}`).join(', ')}, t.${keys[0]} IS NOT NULL AS _existed ` +
			`FROM ${good} g LEFT JOIN ${target} t ON ${keys.map((k) => `t.${k} = g.${k}`).join(' AND ')} WHERE t.${keys[0]} IS NULL OR NOT (${same})`
	);
	const c = await tx.one<{ loaded: number; replaced: number }>(
		`SELECT count(*) FILTER (WHERE NOT _existed)::BIGINT AS loaded, count(*) FILTER (WHERE _existed)::BIGINT AS replaced FROM ${chg}`
	);
	const loaded = c?.loaded ?? 0;
	const replaced = c?.replaced ?? 0;
	if (replaced) {
		await tx.run(`DELETE FROM ${target} t USING ${chg} c WHERE c._existed AND ${keys.map((k) => `t.${k} = c.${k}`).join(' AND ')}`);
	}
	if (loaded + replaced) {
		await tx.run(`INSERT INTO ${target} (${cols.join(', ')}, _load_id) SELECT ${cols.join(', ')}, $load FROM ${chg}`, { load: loadId });
	}
	await tx.run(`DROP TABLE ${chg}`);
	return { loaded, replaced, unchanged: goodCount - loaded - replaced };
}
