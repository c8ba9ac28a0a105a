/**
 * Statements in flight per engine: an identical (SQL, parameters) issued while one is still running
 * waits for it instead of running again — a page's requests start together and often ask the very
 * same statement (/sla's month and provider tables their total row, a seller's CTR figures, every
 * request the pre-aggregates' freshness). Nothing is kept once it settles, so this is no result
 * cache: a later call runs again. The SQL and its parameters decide the rows (a seller's scope is a
 * parameter), so sharing never crosses scopes. The rows are shared: callers that shape them in
 * place copy them first.
 */
export interface AllEngine {
	all<T>(sql: string, params: Record<string, unknown>): Promise<T[]>;
}

const running = new WeakMap<AllEngine, Map<string, Promise<unknown[]>>>();

export function sharedAll<T>(engine: AllEngine, sql: string, params: Record<string, unknown>): Promise<T[]> {
	let m = running.get(engine);
	if (!m) running.set(engine, (m = new Map()));
	const key = `${sql}\u0000${JSON.stringify(params, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))}`;
	const inFlight = m.get(key);
	if (inFlight) return inFlight as Promise<T[]>;
	const p = engine.all<T>(sql, params).finally(() => m.delete(key));
	m.set(key, p as Promise<unknown[]>);
	return p;
}
