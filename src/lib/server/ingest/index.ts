/**
 * Loads a data folder (data contract, "Inputs") into the database. See README.md in this folder.
 *
 *   1. stage   every file, outside the transaction: parse + type + per-row checks in one DuckDB pass
 *              into an in-memory database attached for this load (a file DuckDB cannot parse is
 *              rejected whole here, without aborting the load);
 *   2. in ONE transaction: cross-row checks and upsert table by table in LOAD_ORDER, the rejects
 *              file, the JSON report, the `loads` and `audit_log` rows, then afterLoadHooks.
 * A load killed at any point leaves the database as it was.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../db/connection.ts';
import { ident } from '../db/connection.ts';
import { LOAD_ORDER } from '../db/contract.ts';
import { FastPathFailed, fastEligible, fastLoad } from './fast.ts';
import { checkTable, mergeTable, rejName } from './merge.ts';
import { collectRejects, startRejects, writeRejects } from './rejects.ts';
import { FileRejected, firstLine, listFolder, openSource, pickFiles, type OpenedSource, type SourceFile } from './sources.ts';
import { stageFile, stagedName } from './stage.ts';
import { IngestError, type AfterLoadHook, type IngestOptions, type InputFile, type LoadReport, type TableReport } from './types.ts';

export * from './types.ts';

/** Called inside the load's transaction after a load that committed rows (e.g. pre-aggregations). A throw rolls the load back. */
export const afterLoadHooks: AfterLoadHook[] = [];

export async function ingestFolder(db: Db, dir: string, opts: IngestOptions = {}): Promise<LoadReport> {
	if (!fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new IngestError(`no such folder: ${dir}`);
	return ingestFiles(db, listFolder(dir), { source: path.resolve(dir), ...opts });
}

interface Staged {
	src: SourceFile;
	opened: OpenedSource;
	report: TableReport;
	/** First load of an empty table without cross-row rules: straight into the table (fast.ts). */
	fast: boolean;
}

export async function ingestFiles(db: Db, files: InputFile[], opts: IngestOptions = {}): Promise<LoadReport> {
	try {
		return await load(db, files, opts, true);
	} catch (e) {
		// The fast path met something it does not handle (e.g. a file DuckDB cannot parse): the
		// transaction rolled back, nothing was written; the general path stages every file first.
		if (e instanceof FastPathFailed) return load(db, files, opts, false, e.loadId);
		throw e;
	}
}

async function isEmpty(db: Db, table: string): Promise<boolean> {
	return !(await db.one(`SELECT 1 AS x FROM ${ident(table)} LIMIT 1`));
}

async function load(db: Db, files: InputFile[], opts: IngestOptions, allowFast: boolean, reuseLoadId?: number): Promise<LoadReport> {
	const actor = opts.actor ?? 'system';
	const loadsDir = path.resolve(opts.loadsDir ?? 'data/loads');
	const source = opts.source ?? (files[0] ? path.dirname(path.resolve(files[0].path)) : '');
	const { sources, findings, duplicates } = pickFiles(files);
	if (!sources.length && !duplicates.length) {
		throw new IngestError(`no data files: expected TABLE.csv or TABLE.parquet for ${LOAD_ORDER.join(', ')}`);
	}
	fs.mkdirSync(loadsDir, { recursive: true });
	const loadId = reuseLoadId ?? (await db.one<{ id: number }>(`SELECT nextval('load_id_seq')::BIGINT AS id`))!.id;
	const startedAt = new Date().toISOString();
	const reportPath = path.join(loadsDir, `${loadId}-report.json`);
	const rejectsPath = path.join(loadsDir, `${loadId}-rejects.csv`);
	const stage = `_ingest_${loadId}`;
	const total = sources.length * 3 + 1;
	let step = 0;
	const progress = (table: string, phase: string) => opts.onProgress?.({ table, phase, done: step++, total });

	const tables: TableReport[] = [];
	for (const d of duplicates) {
		if (tables.some((t) => t.table === d.table)) continue;
		const names = duplicates.filter((x) => x.table === d.table).map((x) => x.name);
		tables.push({ ...emptyReport(d), file: names.join(', '), error: `more than one file for ${d.table} (${names.join(', ')}): give one` });
	}
	const staged: Staged[] = [];
	const report: LoadReport = { loadId, status: 'ok', source, actor, startedAt, finishedAt: startedAt, tables, rejectsPath: null, reportPath, findings };

	await db.run(`ATTACH ':memory:' AS ${ident(stage)}`);
	try {
		for (const src of sources) {
			progress(src.table, 'read');
			const r = emptyReport(src);
			tables.push(r);
			try {
				const opened = await openSource(db, src);
				if (opened.extras.length) findings.push({ kind: 'extra_columns', file: src.name, detail: `ignored columns: ${opened.extras.join(', ')}` });
				const fast = allowFast && fastEligible(src.table) && (await isEmpty(db, src.table));
				if (!fast) r.read = await stageFile(db, stage, src.table, opened, src.path);
				staged.push({ src, opened, report: r, fast });
			} catch (e) {
				r.error = e instanceof FileRejected ? e.message : `cannot be parsed, nothing of it loads: ${firstLine(e)}`;
			}
		}
		tables.sort((a, b) => LOAD_ORDER.indexOf(a.table) - LOAD_ORDER.indexOf(b.table));

		try {
			return await db.tx(async (tx) => {
				for (const s of staged) {
					progress(s.src.table, 'check');
					if (s.fast) {
						const c = await fastLoad(tx, s.src.table, s.opened, s.src.path, loadId);
						Object.assign(s.report, { read: c.read, rejected: c.rejected, loaded: c.loaded });
						progress(s.src.table, 'merge');
						continue;
					}
					const rel = stagedName(stage, s.src.table);
					s.report.rejected = await checkTable(tx, rel, s.src.table);
					progress(s.src.table, 'merge');
					Object.assign(s.report, await mergeTable(tx, rel, s.src.table, loadId, s.report.rejected));
				}
				progress('', 'rejects');
				await startRejects(tx);
				for (const [seq, s] of staged.entries()) {
					if (s.report.rejected) {
						await collectRejects(tx, { seq, table: s.src.table, fileName: s.src.name, filePath: s.src.path, src: s.opened });
					}
					await tx.run(`DROP TABLE IF EXISTS ${rejName(s.src.table)}`);
				}
				const nRejects = await writeRejects(tx, rejectsPath);
				report.rejectsPath = nRejects ? rejectsPath : null;
				report.status = statusOf(tables, staged.length);
				report.finishedAt = new Date().toISOString();
				await record(tx, report);
				for (const hook of afterLoadHooks) await hook(tx, report);
				fs.writeFileSync(reportPath, JSON.stringify(report, null, 2) + '\n');
				return report;
			});
		} catch (e) {
			fs.rmSync(rejectsPath, { force: true });
			if (e instanceof FastPathFailed) {
				e.loadId = loadId;
				throw e;
			}
			// Nothing of the load was written; say so in the report and the loads table.
			const failed: LoadReport = {
				...report,
				status: 'failed',
				rejectsPath: null,
				finishedAt: new Date().toISOString(),
				error: `the load was rolled back, nothing was written: ${firstLine(e)}`,
				tables: tables.map((t) => ({ ...t, loaded: 0, replaced: 0, unchanged: 0 }))
			};
			fs.writeFileSync(reportPath, JSON.stringify(failed, null, 2) + '\n');
			await db.tx((tx) => record(tx, failed)).catch(() => undefined);
			return failed;
		}
	} finally {
		progress('', 'done');
		await db.run(`DETACH ${ident(stage)}`).catch(() => undefined);
	}
}

function emptyReport(src: SourceFile): TableReport {
	return {
		table: src.table,
		file: src.name,
		format: src.format,
		read: 0,
		loaded: 0,
		replaced: 0,
		unchanged: 0,
		rejected: 0,
		position: src.format === 'csv' ? 'line' : 'row'
	};
}

function statusOf(tables: TableReport[], stagedCount: number): LoadReport['status'] {
	if (stagedCount === 0) return 'failed';
	if (tables.some((t) => t.error || t.rejected)) return 'partial';
	if (tables.every((t) => t.loaded + t.replaced === 0)) return 'unchanged';
	return 'ok';
}

async function record(tx: Db, r: LoadReport): Promise<void> {
	const json = JSON.stringify(r);
	await tx.run(
		`INSERT INTO loads (load_id, started_at, finished_at, source, actor, status, report, report_path, rejects_path)
		 VALUES ($id, $started::TIMESTAMPTZ, $finished::TIMESTAMPTZ, $source, $actor, $status, $report::JSON, $reportPath, $rejectsPath)`,
		{
			id: r.loadId,
			started: r.startedAt,
			finished: r.finishedAt,
			source: r.source,
			actor: r.actor,
			status: r.status,
			report: json,
			reportPath: r.reportPath,
			rejectsPath: r.rejectsPath
		}
	);
	const totals = r.tables.reduce(
		(a, t) => ({ read: a.read + t.read, loaded: a.loaded + t.loaded, replaced: a.replaced + t.replaced, rejected: a.rejected + t.rejected }),
		{ read: 0, loaded: 0, replaced: 0, rejected: 0 }
	);
	await tx.run(`INSERT INTO audit_log (actor, action, detail) VALUES ($actor, 'load', $detail::JSON)`, {
		actor: r.actor,
		detail: JSON.stringify({ loadId: r.loadId, source: r.source, status: r.status, ...totals, error: r.error })
	});
}
