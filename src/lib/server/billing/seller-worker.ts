/**
 * Worker thread for seller workbooks (render.ts SellerPool): renders, writes and hashes the
 * batches of sellers it is sent. Same code as the in-thread path, so the same bytes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { SellerWorkbooks } from './seller-workbook.ts';
import type { SellerBatch, SellerWorkerInit } from './seller-pool.ts';

let books: Promise<SellerWorkbooks> | undefined;
let dir = '';

parentPort!.on('message', async (m: SellerWorkerInit | SellerBatch) => {
	try {
		if (m.kind === 'init') {
			dir = m.dir;
			books = SellerWorkbooks.create(new Date(m.date), m.preview);
			await books;
			parentPort!.postMessage({ ready: true });
			return;
		}
		const b = await books!;
		const hashes: [string, string][] = [];
		for (const { bill, lines, name } of m.items) {
			const bytes = b.render(bill, lines);
			fs.writeFileSync(path.join(dir, name), bytes);
			hashes.push([path.basename(name), createHash('sha256').update(bytes).digest('hex')]);
		}
		parentPort!.postMessage({ id: m.id, hashes });
	} catch (e) {
		parentPort!.postMessage({ id: (m as SellerBatch).id ?? -1, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
	}
});
