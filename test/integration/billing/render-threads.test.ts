/** The seller workbooks come out byte-identical whether rendered in worker threads or in this one. */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../../src/lib/server/db/connection.ts';
import { runBilling } from '../../../src/lib/server/billing/run.ts';
import { readMonth, streamLines } from '../../../src/lib/server/billing/read.ts';
import { renderMonth } from '../../../src/lib/server/billing/render.ts';
import { hashPublished } from '../../../src/lib/server/billing/publish.ts';
import { freshDb, order, seller } from './fixtures.ts';
import { stubDeps, tmpOut } from './helpers.ts';

describe('rendering with worker threads', () => {
	let db: Db;
	let out: string;
	beforeAll(async () => {
		db = await freshDb();
		out = tmpOut();
		for (let i = 1; i <= 12; i++) {
			await seller(db, `S${i}`, i === 3 ? { name: '=HYPERLINK("x")' } : {});
			for (let k = 0; k < (i % 4) + 1; k++)
				await order(db, { id: `O${i}-${k}`, seller: `S${i}`, images: k + 1, languages: k % 2 ? ['en'] : [], published: '2026-03-01 10:00:00+08', delivered: `2026-03-0${k + 2} 10:00:00+08` });
		}
		await runBilling(db, { month: '2026-03', outDir: out, actor: 'test', deps: stubDeps() });
	}, 120_000);
	afterAll(async () => {
		await db.close();
		fs.rmSync(out, { recursive: true, force: true });
	});

	it('gives the issued files’ hashes with 0 and with 2 worker threads, and every seller gets a workbook', async () => {
		const issued = JSON.parse(fs.readFileSync(path.join(out, '2026-03', 'run.json'), 'utf8')).files as Record<string, string>;
		for (const workers of [0, 2]) {
			const dir = fs.mkdtempSync(path.join(out, `w${workers}-`));
			const d = await readMonth(db, '2026-03');
			const r = await renderMonth(d, streamLines(db, '2026-03'), dir, { shortName: '信息技术服务', preview: false, workers });
			expect(r.timings.seller_threads).toBe(workers);
			expect([workers, r.files]).toEqual([workers, issued]);
			expect(hashPublished(dir, Object.keys(issued))).toEqual(issued);
			expect(fs.readdirSync(path.join(dir, 'sellers')).length).toBe(12);
		}
	}, 120_000);
});
