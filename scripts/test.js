#!/usr/bin/env node
// `npm test`: every test — type check, lint, unit and integration (vitest), browser (Playwright).
// Stops early, naming the install command, when the system programs the tests need are missing.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);

function findChromium() {
	if (process.env.CHROMIUM_PATH && fs.existsSync(process.env.CHROMIUM_PATH)) return process.env.CHROMIUM_PATH;
	if (fs.existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
	try {
		const r = spawnSync(process.execPath, ['-e', "console.log(require('playwright-core').chromium.executablePath())"], { encoding: 'utf8' });
		const p = r.stdout.trim();
		if (p && fs.existsSync(p)) return p;
	} catch {
		/* fall through */
	}
	return null;
}
const which = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).stdout.trim();

const missing = [];
if (!findChromium())
	missing.push('Chromium for the browser tests: on Debian/Ubuntu `apt-get install -y chromium`; elsewhere `npx playwright install chromium` (or set CHROMIUM_PATH).');
if (!which('soffice') && !process.env.SKIP_LIBREOFFICE)
	missing.push('LibreOffice, to check the workbooks in a real spreadsheet program: `apt-get install -y libreoffice-calc-nogui` (Debian/Ubuntu).');
if (missing.length) {
	console.error('npm test needs programs that are not installed:\n' + missing.map((m) => `  - ${m}`).join('\n'));
	console.error('On Debian: apt-get install -y chromium libreoffice-calc-nogui');
	process.exit(1);
}

const only = process.argv.slice(2);
const steps = [
	['sync', ['node_modules/@sveltejs/kit/svelte-kit.js', 'sync']],
	['types', ['node_modules/svelte-check/bin/svelte-check', '--tsconfig', './tsconfig.json', '--threshold', 'error', '--output', 'human']],
	['lint', ['node_modules/eslint/bin/eslint.js', '.']],
	['unit', ['node_modules/vitest/vitest.mjs', 'run']],
	['browser', ['node_modules/@playwright/test/cli.js', 'test']]
].filter(([name]) => !only.length || only.includes(name) || name === 'sync');

const results = [];
for (const [name, args] of steps) {
	console.log(`\n━━ ${name} ━━`);
	const t0 = Date.now();
	const r = spawnSync(process.execPath, args, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : '1' } });
	results.push({ name, ok: r.status === 0, s: ((Date.now() - t0) / 1000).toFixed(1) });
}
console.log('\n━━ summary ━━');
for (const r of results) console.log(`${r.ok ? '✓' : '✗'} ${r.name.padEnd(8)} ${r.s} s`);
const failed = results.filter((r) => !r.ok).length;
console.log(`steps: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
