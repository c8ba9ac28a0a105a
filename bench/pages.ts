/**
 * Page benchmark: each dashboard page's server data, warm, p50/p95 — the metric requests its load
 * function runs (src/routes/export/registry.ts PAGE_DATA: its tables and KPI sets, in parallel as the
 * page does) — and its page weight from the built client: JavaScript before first paint (the page's
 * entry chunks and their static imports) and in total (plus dynamic imports such as ECharts), gzipped.
 */
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Db } from '../src/lib/server/db/connection.ts';
import { runMetric } from '../src/lib/server/metrics/run.ts';
import type { MetricRequest } from '../src/lib/server/metrics/request.ts';
import { kpiRequest, PAGE_DATA, tableRequest } from '../src/routes/export/registry.ts';

export interface PageBench {
	page: string;
	p50: number;
	p95: number;
	requests: number;
	/** gzip bytes of JS loaded before first paint / in total; null when there is no build. */
	firstPaintJs: number | null;
	totalJs: number | null;
}

const pct = (xs: number[], p: number) => {
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

/** The metric requests a page's load function runs: its tables and KPI sets (also bench/lib/page-data.ts). */
export function pageRequests(page: string, query: string, today: string): MetricRequest[] {
	const params = new URLSearchParams(query);
	const spec = PAGE_DATA[page];
	const out = spec.tables.map((id) => tableRequest(id, params, { today }));
	for (const k of spec.kpis) out.push(kpiRequest(params, k, { today }));
	return out;
}

export async function benchPages(
	db: Db,
	opts: { runs?: number; today?: string; query?: string; sellerId?: string | null; buildDir?: string } = {}
): Promise<PageBench[]> {
	const runs = opts.runs ?? 5;
	const today = opts.today ?? new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
	const weights = pageWeights(opts.buildDir);
	const out: PageBench[] = [];
	for (const page of Object.keys(PAGE_DATA)) {
		const seller = page.startsWith('/seller');
		if (seller && !opts.sellerId) continue;
		const scope = { sellerId: seller ? opts.sellerId! : null };
		const reqs = pageRequests(page, opts.query ?? '', today);
		const once = () => Promise.all(reqs.map((r) => runMetric(db, r, scope, { today })));
		await once(); // warm
		const times: number[] = [];
		for (let i = 0; i < runs; i++) {
			const t = performance.now();
			await once();
			times.push(performance.now() - t);
		}
		const w = weights?.get(page) ?? null;
		out.push({ page, p50: pct(times, 50), p95: pct(times, 95), requests: reqs.length, firstPaintJs: w?.firstPaint ?? null, totalJs: w?.total ?? null });
	}
	return out;
}

interface ManifestChunk {
	file: string;
	src?: string;
	isEntry?: boolean;
	isDynamicEntry?: boolean;
	imports?: string[];
	dynamicImports?: string[];
}

/** Route id of a page file: 'src/routes/rework/+page.svelte' → '/rework'. */
const routeOf = (src: string) => '/' + src.replace(/^src\/routes\/?/, '').replace(/\/?\+page\.svelte$/, '');

/**
 * Reads the client manifest of a build (.svelte-kit/output/client/.vite/manifest.json): per page,
 * the closure of static imports of the app entries, the root layout and the page (first paint),
 * and the same plus every dynamic import reachable from them (total).
 */
export function pageWeights(buildDir?: string): Map<string, { firstPaint: number; total: number }> | null {
	const outDir = buildDir ?? '.svelte-kit/output/client';
	const mf = path.join(outDir, '.vite/manifest.json');
	if (!fs.existsSync(mf)) return null;
	const manifest = JSON.parse(fs.readFileSync(mf, 'utf8')) as Record<string, ManifestChunk>;
	const size = new Map<string, number>();
	const gz = (file: string) => {
		if (!size.has(file)) size.set(file, gzipSync(fs.readFileSync(path.join(outDir, file))).length);
		return size.get(file)!;
	};
	const closure = (keys: string[], dynamic: boolean) => {
		const seen = new Set<string>();
		const walk = (k: string) => {
			if (seen.has(k) || !manifest[k]) return;
			seen.add(k);
			for (const i of manifest[k].imports ?? []) walk(i);
			if (dynamic) for (const i of manifest[k].dynamicImports ?? []) walk(i);
		};
		keys.forEach(walk);
		return [...seen].filter((k) => manifest[k].file.endsWith('.js')).reduce((a, k) => a + gz(manifest[k].file), 0);
	};
	// Kit's entries (start/app), and its generated node modules: each wraps one layout or page component.
	const entries = Object.keys(manifest).filter((k) => manifest[k].isEntry && /entry\/(start|app)/.test(k));
	const componentOf = (nodeKey: string) => {
		try {
			const text = fs.readFileSync(nodeKey, 'utf8');
			return /src\/routes\/[^"']*\+(page|layout)\.svelte/.exec(text)?.[0] ?? null;
		} catch {
			return null;
		}
	};
	const nodes = Object.keys(manifest)
		.filter((k) => /generated\/client-optimized\/nodes\/\d+\.js$/.test(k))
		.map((k) => ({ key: k, component: componentOf(k) }));
	const layout = nodes.find((n) => n.component === 'src/routes/+layout.svelte')?.key;
	const out = new Map<string, { firstPaint: number; total: number }>();
	for (const n of nodes) {
		if (!n.component?.endsWith('+page.svelte')) continue;
		const keys = [...entries, ...(layout ? [layout] : []), n.key];
		out.set(routeOf(n.component), { firstPaint: closure(keys, false), total: closure(keys, true) });
	}
	return out;
}
