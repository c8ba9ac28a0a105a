import { defineConfig } from '@playwright/test';
import fs from 'node:fs';

// Debian's Chromium when present (CI and these machines cannot download Playwright's browser);
// elsewhere Playwright's own. scripts/test.js has already said which, or stopped with the install command.
const chromium = process.env.CHROMIUM_PATH || (fs.existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
const PORT = Number(process.env.TEST_PORT ?? 4173);

export default defineConfig({
	testDir: 'test/browser',
	timeout: 60_000,
	expect: { timeout: 10_000 },
	fullyParallel: false,
	workers: 1,
	retries: 0,
	reporter: [['list']],
	outputDir: 'test-results/browser',
	use: {
		baseURL: `http://127.0.0.1:${PORT}`,
		screenshot: 'only-on-failure',
		launchOptions: {
			executablePath: chromium,
			args: [
				'--headless',
				'--no-sandbox',
				'--disable-gpu',
				'--disable-quic',
				'--no-first-run',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync'
			]
		}
	},
	webServer: {
		// Builds, makes fixed-date sample data in a throw-away database, and serves on loopback.
		command: `node scripts/test-server.js`,
		url: `http://127.0.0.1:${PORT}/healthz`,
		timeout: 300_000,
		reuseExistingServer: false,
		stdout: 'pipe',
		stderr: 'pipe',
		env: { PORT: String(PORT) }
	}
});
