import { afterEach, describe, expect, it } from 'vitest';
import { memoryLimit, openDatabase } from '../../../src/lib/server/db/connection.ts';

describe('DuckDB memory limit', () => {
	const saved = process.env.DUCKDB_MEMORY_LIMIT;
	afterEach(() => {
		if (saved === undefined) delete process.env.DUCKDB_MEMORY_LIMIT;
		else process.env.DUCKDB_MEMORY_LIMIT = saved;
	});

	it('defaults to 4GB, takes the environment, and the option wins over both', () => {
		delete process.env.DUCKDB_MEMORY_LIMIT;
		expect(memoryLimit()).toBe('4GB');
		process.env.DUCKDB_MEMORY_LIMIT = '512MB';
		expect(memoryLimit()).toBe('512MB');
		expect(memoryLimit({ memoryLimit: '2GiB' })).toBe('2GiB');
	});

	it('names a malformed value instead of passing it to DuckDB', () => {
		process.env.DUCKDB_MEMORY_LIMIT = '80%';
		expect(() => memoryLimit()).toThrow(/DUCKDB_MEMORY_LIMIT must look like 4GB or 512MB, not "80%"/);
	});

	it('is the limit DuckDB runs with', async () => {
		const db = await openDatabase({ path: ':memory:', memoryLimit: '256MB' });
		const r = await db.one<{ m: string }>("SELECT current_setting('memory_limit') AS m");
		expect(r!.m).toMatch(/^2\d\d\.\d MiB$/);
		await db.close();
	});
});
