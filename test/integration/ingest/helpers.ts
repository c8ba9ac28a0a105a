import fs from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import type { Db } from '../../../src/lib/server/db/connection.ts';
import { openProjectDb } from '../../../src/lib/server/db/open.ts';
import { LOAD_ORDER } from '../../../src/lib/server/db/contract.ts';
import { ingestFolder } from '../../../src/lib/server/ingest/index.ts';
import type { LoadReport } from '../../../src/lib/server/ingest/types.ts';
import { tempDir } from '../../fixtures/ingest/folder.ts';

export interface Reject {
	file: string;
	line: string;
	column: string;
	reason: string;
	value: string;
	record: string;
}

export async function freshDb(): Promise<Db> {
	return openProjectDb({ path: ':memory:' });
}

export async function load(db: Db, dir: string): Promise<{ report: LoadReport; rejects: Reject[] }> {
	const report = await ingestFolder(db, dir, { loadsDir: tempDir('loads-'), actor: 'test' });
	return { report, rejects: readRejects(report) };
}

export function readRejects(report: LoadReport): Reject[] {
	if (!report.rejectsPath) return [];
	const text = fs.readFileSync(report.rejectsPath, 'utf8');
	if (text.charCodeAt(0) !== 0xfeff) throw new Error('rejects file without BOM');
	return Papa.parse<Reject>(text.slice(1), { header: true, skipEmptyLines: true }).data;
}

/** Every contract table's full contents (without _load_id), sorted, as JSON text. */
export async function snapshot(db: Db, withLoadId = false): Promise<Record<string, string>> {
	const out: Record<string, string> = {};
	for (const t of LOAD_ORDER) {
		const rows = await db.all(`SELECT * ${withLoadId ? '' : 'EXCLUDE (_load_id)'} FROM ${t} ORDER BY ALL`);
		out[t] = JSON.stringify(rows);
	}
	return out;
}

export function tableRow(report: LoadReport, table: string) {
	const t = report.tables.find((x) => x.table === table);
	if (!t) throw new Error(`no report for ${table}`);
	return t;
}

export const fixturePath = (...p: string[]) => path.resolve('test/fixtures/ingest', ...p);
