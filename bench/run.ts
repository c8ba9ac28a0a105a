/**
 * `npm run bench [-- --scale N] [--only ingest,pages,metrics,bills,api,weight,paint] [--seconds S]`
 *
 * One command, one table: each figure beside what it must be read against (DuckDB doing the same
 * work directly, the offered load, a budget), its target and pass / fail. Sample data and a loaded
 * database are cached under .tmp/bench/ by (scale, seed, as-of). Writes bench/results.json and
 * bench/results-scaleN.json. Everything runs on loopback, every loop is bounded. See README.md.
 */
import fs from 'node:fs';
import path from 'node:path';
import { openProjectDb } from '../src/lib/server/db/open.ts';
import { demoSellerId } from '../src/lib/server/auth/demo.ts';
import { createBenchClients, revokeBenchClients, type ApiCredential } from './api.ts';
import { lastCompleteMonth, parseArgs, USAGE, type BenchArgs } from './lib/args.ts';
import { duSize, ensureLoaded, markLoaded, sampleData } from './lib/data.ts';
import { loadPagesModule } from './lib/page-data.ts';
import { formatTable, type Figure } from './lib/report.ts';
import { apiSection, billsSection, ingestSection, machine, metricsSection, pagesSection, weightSection } from './lib/sections.ts';
import { benchSessions, type BenchSessions } from './lib/served.ts';
import { ensureBuild, startServer, type RunningServer } from './lib/server.ts';
import { paintSection } from './lib/paint.ts';

const started = performance.now();
const elapsed = () => (performance.now() - started) / 1000;
const log = (s: string) => process.stderr.write(`[bench ${elapsed().toFixed(0).padStart(4)} s] ${s}\n`);
const rssMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

async function main(args: BenchArgs): Promise<number> {
	const paint = args.only.has('paint');
	process.env.TODAY = args.asOf; // the server, the bills child and the metrics all see the same day
	const figures: Figure[] = [];
	const results: Record<string, unknown> = { args: { ...args, only: [...args.only] }, startedAt: new Date().toISOString(), machine: machine() };
	const sections: Record<string, unknown> = {};
	const skipped = (section: string, why: string) => {
		figures.push({ section, figure: section, value: 'not measured', comparison: why, target: '', source: null, pass: null, measured: false });
		sections[section] = { notMeasured: why };
	};
	const timed: Record<string, number> = {};
	const step = async <T>(name: string, fn: () => Promise<T>): Promise<T | undefined> => {
		const t0 = performance.now();
		try {
			return await fn();
		} catch (e) {
			log(`${name} failed: ${(e as Error).stack ?? e}`);
			skipped(name, `failed: ${(e as Error).message.split('\n')[0].slice(0, 160)}`);
			return undefined;
		} finally {
			timed[name] = Math.round((performance.now() - t0) / 100) / 10;
		}
	};

	const data = await sampleData(args.scale, args.seed, args.asOf, log);
	const month = lastCompleteMonth(args.asOf);
	results.data = { key: data.key, dir: data.dir, format: data.format, counts: data.counts, sampleSeconds: Math.round(data.sampleSeconds * 10) / 10, sampleBytes: duSize(data.dir) };

	if (args.only.has('ingest')) {
		const r = await step('ingest', () => ingestSection(data.dir, data.dbPath, data.format, args.repeats, log));
		if (r) {
			markLoaded(data);
			figures.push(...r.figures);
			sections.ingest = r.rows;
		}
	}
	await ensureLoaded(data, log);
	results.dbBytes = duSize(data.dbPath) + duSize(`${data.dbPath}.wal`);

	// In-process sections on the database; the clients and sessions the server sections need are made here too.
	const pages = await loadPagesModule();
	let creds: ApiCredential[] = [];
	let sessions: BenchSessions | null = null;
	const needServer = args.only.has('api') || args.only.has('weight') || paint;
	{
		const db = await openProjectDb({ path: data.dbPath });
		try {
			const sellerId = await demoSellerId(db);
			// The metrics layer reads pre-aggregates when they are fresh (src/lib/server/preagg); bring
			// them up to date first, as the product does after a load, so pages measure that path.
			const preagg = await import('../src/lib/server/preagg/index.ts').catch(() => null);
			if (preagg?.ensurePreaggregates) {
				const t0 = performance.now();
				const report = await preagg.ensurePreaggregates(db);
				const ms = performance.now() - t0;
				const firstLoad = (sections.ingest as { table: string; productMs: number }[] | undefined)
					?.filter((r) => !r.table.startsWith('('))
					.reduce((a, r) => a + r.productMs, 0);
				figures.push({
					section: 'ingest',
					figure: `pre-aggregates after the load (${report ? 'rebuilt' : 'already fresh'})`,
					value: `${Math.round(ms)} ms`,
					comparison: firstLoad ? `first load ${Math.round(firstLoad)} ms` : 'first load not measured in this run',
					target: '',
					source: null,
					pass: null
				});
				sections.preaggregates = { ms: Math.round(ms), report };
			} else log('no src/lib/server/preagg ensurePreaggregates: pages run on the raw tables');
			if (args.only.has('pages')) {
				const r = await step('page data', () => pagesSection(db, pages, { runs: args.runs, budgetMs: args.pageBudgetSeconds * 1000, today: args.asOf, sellerId, log }));
				if (r) {
					figures.push(...r.figures);
					sections.pages = r.rows ?? { fallback: r.fallback };
				}
			}
			if (args.only.has('metrics')) {
				const r = await step('metrics', () => metricsSection(db, args.metricRuns, args.asOf));
				if (r) {
					figures.push(...r.figures);
					sections.metrics = r.rows;
				}
			}
			if (needServer) {
				sessions = await benchSessions(db);
				if (args.only.has('api')) creds = await createBenchClients(db, 50);
			}
		} finally {
			await db.close();
		}
	}
	results.mainPeakRssMbBeforeChildren = rssMb();

	if (args.only.has('bills')) {
		const r = await step('bills', () => billsSection(data.dbPath, month, args.asOf, log));
		if (r) {
			figures.push(...r.figures);
			sections.bills = r.result;
		}
	}

	if (needServer) {
		let server: RunningServer | null = null;
		const buildSeconds = await step('build', () => ensureBuild(log));
		if (buildSeconds !== undefined) results.buildSeconds = Math.round(buildSeconds);
		server = (await step('server start', () => startServer({ dbPath: data.dbPath, today: args.asOf, workDir: path.dirname(data.dbPath), log }))) ?? null;
		try {
			if (args.only.has('api')) {
				if (server) {
					const srv = server;
					const r = await step('api', () => apiSection(srv, creds, sessions!, args.seconds, log));
					if (r) {
						figures.push(...r.figures);
						sections.api = { ...r.api, dashboardPage: r.dashboard };
					}
				} else skipped('api', 'the server did not start');
			}
			if (args.only.has('weight')) {
				const r = await step('weight', () => weightSection(server, pages, sessions, log));
				if (r) {
					figures.push(...r.figures);
					sections.weight = r.rows;
				}
			}
			// After the API phase has ended: a browser load must not compete with that load.
			if (paint) {
				if (server) {
					const srv = server;
					const r = await step('paint', () => paintSection(srv, sessions!, { runs: args.runs, budgetMs: args.pageBudgetSeconds * 1000, log }));
					if (r) {
						figures.push(...r.figures);
						sections.paint = { floor: r.floor, pages: r.rows };
					}
				} else skipped('paint', 'the server did not start');
			}
		} finally {
			if (server) {
				results.serverPeakRssMb = server.peakRssMb();
				await server.stop();
			}
		}
		if (creds.length) {
			const db = await openProjectDb({ path: data.dbPath });
			try {
				await revokeBenchClients(db, creds);
			} finally {
				await db.close();
			}
		}
	}

	// The whole run, excluding a build and sample generation (one-off costs, reported apart).
	const benchSeconds = elapsed() - data.sampleSeconds - ((results.buildSeconds as number | undefined) ?? 0);
	figures.push({
		section: 'run',
		figure: `whole bench at scale ${args.scale} (excl. sample ${data.sampleSeconds.toFixed(0)} s, build ${results.buildSeconds ?? 0} s)`,
		value: `${benchSeconds.toFixed(0)} s`,
		comparison: `sections: ${Object.entries(timed).map(([k, v]) => `${k} ${v} s`).join(', ')}`,
		target: args.scale <= 1 ? '< 180 s' : '',
		source: args.scale <= 1 ? 'brief' : null,
		pass: args.scale <= 1 ? benchSeconds < 180 : null
	});
	Object.assign(results, {
		sections,
		figures,
		sectionSeconds: timed,
		benchSeconds: Math.round(benchSeconds),
		mainPeakRssMb: rssMb(),
		finishedAt: new Date().toISOString()
	});
	const table = formatTable(figures);
	process.stdout.write(`\nBench — scale ${args.scale}, seed ${args.seed}, as of ${args.asOf}; ${JSON.stringify(results.machine)}\n\n${table}\n\n`);
	const json = JSON.stringify(results, null, 2) + '\n';
	fs.writeFileSync(path.resolve('bench/results.json'), json);
	fs.writeFileSync(path.resolve(`bench/results-scale${args.scale}.json`), json);
	log(`wrote bench/results.json and bench/results-scale${args.scale}.json`);
	return figures.some((f) => f.pass === false) ? 1 : 0;
}

let args: BenchArgs;
try {
	args = parseArgs(process.argv.slice(2));
} catch (e) {
	process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
	process.exit(2);
}
main(args).then(
	(code) => process.exit(code),
	(e) => {
		process.stderr.write(`bench failed: ${(e as Error).stack ?? e}\n`);
		process.exit(2);
	}
);
