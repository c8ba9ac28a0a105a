/**
 * The seam every metric goes through. A Db satisfies it; createResultCache puts a bounded result
 * cache in front of a Db without touching the metric definitions.
 */
import type { Db } from '../db/connection.ts';
import { currentDataVersion } from '../preagg/index.ts';

export interface QueryEngine {
	all<T>(sql: string, params: Record<string, unknown>): Promise<T[]>;
}

export interface ResultCacheOptions {
	/** Most results kept (least recently used goes first). Default 500. */
	maxEntries?: number;
	/** Results with more rows are not kept (bounds memory). Default 5,000. */
	maxRows?: number;
}

export interface CachedEngine extends QueryEngine {
	stats(): { hits: number; misses: number; entries: number; version: string };
	clear(): void;
}

// What the data version is made of: every load (its id) and every bill run (the ledger's months),
// plus an in-process counter bumped by the pre-aggregate hook. Rows written around the loader and
// the billing job (tests, repairs) are not seen: use the Db itself there.
const VERSION_SQL = `SELECT coalesce((SELECT max(load_id) FROM loads), 0)::BIGINT AS l, (SELECT count(*) FROM bill_runs)::BIGINT AS b, (SELECT max(issued_at) FROM bill_runs) AS t`;

// Rows are plain objects of primitives, Dates and (LIST/STRUCT columns) plain arrays/objects: copy
// them field by field (structuredClone only for nested values), the same deep copy as
// structuredClone of the whole result at a fraction of its cost (it serializes every string).
function copyValue(v: unknown): unknown {
	if (v === null || typeof v !== 'object') return v;
	if (v instanceof Date) return new Date(v.getTime());
	return structuredClone(v);
}
function copyRows<T>(rows: readonly T[]): T[] {
	return rows.map((r) => {
		if (r === null || typeof r !== 'object' || Array.isArray(r) || r instanceof Date) return copyValue(r) as T;
		const o: Record<string, unknown> = { ...(r as Record<string, unknown>) };
		for (const k in o) if (typeof o[k] === 'object' && o[k] !== null) o[k] = copyValue(o[k]);
		return o as T;
	});
}

/**
 * A QueryEngine that answers repeated (SQL, params) from memory while the data version has not
 * changed. Every call checks the version (one tiny query, shared by the calls of one tick).
 * Rows are deep-copied in and out, since callers shape them in place.
 */
export function createResultCache(db: Db, opts: ResultCacheOptions = {}): CachedEngine {
	const maxEntries = opts.maxEntries ?? 500;
	const maxRows = opts.maxRows ?? 5000;
	const cache = new Map<string, unknown[]>();
	let version = '';
	let pending: Promise<string> | null = null;
	let hits = 0;
	let misses = 0;
	const check = (): Promise<string> => {
		if (!pending) {
			pending = db
				.all<{ l: number; b: number; t: Date | null }>(VERSION_SQL)
				.then((r) => `${r[0].l}/${r[0].b}/${r[0].t?.getTime() ?? ''}/${currentDataVersion()}`)
				.finally(() => queueMicrotask(() => (pending = null)));
		}
		return pending;
	};
	return {
		async all<T>(sql: string, params: Record<string, unknown>): Promise<T[]> {
			const v = await check();
			if (v !== version) {
				cache.clear();
				version = v;
			}
			const key = `${sql}\u0000${JSON.stringify(Object.entries(params).sort(([a], [b]) => (a < b ? -1 : 1)))}`;
			const got = cache.get(key);
			if (got) {
				hits++;
				cache.delete(key);
				cache.set(key, got);
				return copyRows(got as T[]);
			}
			misses++;
			const rows = await db.all<T>(sql, params);
			if (rows.length <= maxRows && version === v) {
				cache.set(key, copyRows(rows));
				while (cache.size > maxEntries) cache.delete(cache.keys().next().value!);
			}
			return rows;
		},
		stats: () => ({ hits, misses, entries: cache.size, version }),
		clear: () => cache.clear()
	};
}
