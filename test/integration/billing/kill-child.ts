/** Child process for kill.test.ts: issues a month and blocks mid-render (after the first seller workbook) until killed. */
import fs from 'node:fs';
import { openProjectDb } from '../../../src/lib/server/db/open.ts';
import { runBilling } from '../../../src/lib/server/billing/run.ts';
import { stubDeps } from './helpers.ts';

const [dbPath, outDir, marker] = process.argv.slice(2);
const db = await openProjectDb({ path: dbPath });
await runBilling(db, {
	month: '2026-03',
	outDir,
	actor: 'kill-test',
	deps: stubDeps(),
	onProgress: (p) => {
		if (p.step === 'sellers') {
			fs.writeFileSync(marker, 'mid-render');
			Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000); // until SIGKILL
		}
	}
});
