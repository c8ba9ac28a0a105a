/**
 * What the running server actually sends: sign-in sessions for the bench (the demo accounts on the
 * bench database, created before the server opens it), the JavaScript a page's HTML asks for
 * before first paint (its modulepreload links and the inline script's imports), gzipped, and a
 * probe that keeps loading a dashboard page while the API phase runs.
 */
import { gzipSync } from 'node:zlib';
import type { Db } from '../../src/lib/server/db/connection.ts';
import { ensureDemoAccounts } from '../../src/lib/server/auth/demo.ts';
import { findUserByEmail } from '../../src/lib/server/auth/users.ts';
import { createSession, SESSION_COOKIE } from '../../src/lib/server/auth/sessions.ts';
import { pct } from './stats.ts';

export interface BenchSessions {
	ops: string | null;
	seller: string | null;
	sellerId: string | null;
}

/** Cookie headers for an ops and a seller account (demo accounts of the bench database). */
export async function benchSessions(db: Db): Promise<BenchSessions> {
	const accounts = await ensureDemoAccounts(db);
	const cookie = async (role: 'ops' | 'seller') => {
		const a = accounts.find((x) => x.role === role);
		const u = a && (await findUserByEmail(db, a.email));
		return u ? `${SESSION_COOKIE}=${(await createSession(db, u.id)).value}` : null;
	};
	return { ops: await cookie('ops'), seller: await cookie('seller'), sellerId: accounts.find((a) => a.role === 'seller')?.sellerId ?? null };
}

/**
 * The JavaScript a served page boots from: its modulepreload links and the boot script's
 * import("…") calls, with whether the build manifest the page weights are read from lists every one
 * of them (so the weights describe the build being served). null when the page did not render.
 */
export async function servedBootJs(baseUrl: string, page: string, cookie: string | null, manifestFiles: Set<string>): Promise<{ files: string[]; preloads: number; inManifest: boolean; bootGzip: number } | null> {
	const r = await fetch(baseUrl + page, { headers: cookie ? { cookie } : {}, redirect: 'manual', signal: AbortSignal.timeout(60_000) });
	const html = await r.text();
	if (r.status !== 200) return null;
	const urls = new Set<string>();
	let preloads = 0;
	// Kit writes <link href=… rel="modulepreload"> (attribute order varies) and import("…") in its boot script.
	for (const tag of html.match(/<link\b[^>]*>/g) ?? []) {
		const href = /\bhref=["']([^"']+)["']/.exec(tag)?.[1];
		if (href && (/\brel=["']?modulepreload/.test(tag) || (/\brel=["']?preload/.test(tag) && /\bas=["']?script/.test(tag)))) {
			urls.add(href);
			preloads++;
		}
	}
	for (const m of html.matchAll(/import\(\s*["']([^"']+\.js)["']\s*\)/g)) urls.add(m[1]);
	let bootGzip = 0;
	const files: string[] = [];
	for (const u of urls) {
		const abs = new URL(u, baseUrl + page);
		const js = await fetch(abs, { signal: AbortSignal.timeout(30_000) });
		if (!js.ok) throw new Error(`${abs.href}: HTTP ${js.status}`);
		bootGzip += gzipSync(Buffer.from(await js.arrayBuffer())).length;
		files.push(abs.pathname.replace(/^\//, ''));
	}
	return { files, preloads, inManifest: files.every((f) => manifestFiles.has(f)), bootGzip };
}

export interface ProbeResult {
	page: string;
	probes: number;
	failures: number;
	p95Ms: number;
	maxMs: number;
}

/** Loads `page` (signed in) once a second until stop() — the dashboard's answer under API load. */
export function probeDashboard(baseUrl: string, page: string, cookie: string | null): { stop: () => Promise<ProbeResult> } {
	let stopped = false;
	const lat: number[] = [];
	let failures = 0;
	const loop = (async () => {
		while (!stopped) {
			const t0 = performance.now();
			try {
				const r = await fetch(baseUrl + page, { headers: cookie ? { cookie } : {}, redirect: 'manual', signal: AbortSignal.timeout(10_000) });
				await r.arrayBuffer();
				if (r.status !== 200) failures++;
			} catch {
				failures++;
			}
			lat.push(performance.now() - t0);
			if (!stopped) await new Promise((r) => setTimeout(r, 1000));
		}
	})();
	return {
		stop: async () => {
			stopped = true;
			await loop;
			return { page, probes: lat.length, failures, p95Ms: pct(lat, 95), maxMs: Math.max(0, ...lat) };
		}
	};
}
