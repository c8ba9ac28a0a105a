import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	server: { port: 5173 },
	ssr: { external: ['@duckdb/node-api', '@node-rs/argon2', 'exceljs'] },
	test: {
		// Only unit/integration files: Playwright specs live in test/browser and must not be collected here.
		include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
		environment: 'node',
		testTimeout: 60_000,
		hookTimeout: 120_000,
		pool: 'forks'
	}
});
