/**
 * The seam every metric goes through. A Db satisfies it; a cache or another engine can stand
 * behind it later without touching the metric definitions.
 */
export interface QueryEngine {
	all<T>(sql: string, params: Record<string, unknown>): Promise<T[]>;
}
