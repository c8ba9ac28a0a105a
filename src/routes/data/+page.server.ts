import type { Actions, PageServerLoad } from './$types';
import { fail } from '@sveltejs/kit';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { getDb } from '$lib/server/app';
import { requireUser, scopeFor } from '$lib/server/auth/guard';
import { LOAD_ORDER, TABLES } from '$lib/server/db/contract';
import { schemaVersion } from '$lib/server/db/migrate';
import { ingestFiles } from '$lib/server/ingest';
import { runFindings } from '$lib/server/metrics';

/** Required columns per contract table, for the browser's pre-upload check (the server checks again). */
const REQUIRED = Object.fromEntries(LOAD_ORDER.map((t) => [t, TABLES[t].columns.filter((c) => !c.optional).map((c) => c.name)]));
const ALL_COLUMNS = Object.fromEntries(LOAD_ORDER.map((t) => [t, TABLES[t].columns.map((c) => c.name)]));

interface LoadRow {
	load_id: number;
	started_at: Date;
	finished_at: Date | null;
	source: string;
	actor: string;
	status: string;
	report: string | null;
	rejects_path: string | null;
}

function readRejects(file: string | null, limit = 200): { rows: string[][]; columns: string[]; more: boolean } | null {
	if (!file || !fs.existsSync(file)) return null;
	const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
	const parsed = Papa.parse<string[]>(text, { skipEmptyLines: true });
	const [header, ...rows] = parsed.data;
	return { columns: header ?? [], rows: rows.slice(0, limit), more: rows.length > limit };
}

export const load: PageServerLoad = async ({ url, locals }) => {
	const scope = scopeFor(requireUser(locals));
	const db = await getDb();
	const counts = await db.all<{ table: string; rows: number }>(LOAD_ORDER.map((t) => `SELECT '${t}' AS "table", count(*) AS rows FROM ${t}`).join(' UNION ALL '));
	const order = new Map(LOAD_ORDER.map((t, i) => [t, i]));
	counts.sort((a, b) => (order.get(a.table as never) ?? 0) - (order.get(b.table as never) ?? 0));
	const loads = await db.all<LoadRow>('SELECT load_id, started_at, finished_at, source, actor, status, report::VARCHAR AS report, rejects_path FROM loads ORDER BY load_id DESC LIMIT 20');
	const selectedId = Number(url.searchParams.get('load')) || loads[0]?.load_id || null;
	const selected = loads.find((l) => l.load_id === selectedId) ?? null;
	let report: unknown;
	try {
		report = selected?.report ? JSON.parse(selected.report) : null;
	} catch {
		report = null;
	}
	const findings = await runFindings(db, scope, { limit: 50 });
	return {
		counts,
		schemaVersion: await schemaVersion(db),
		lastLoad: loads[0] ? { load_id: loads[0].load_id, finished_at: loads[0].finished_at, source: loads[0].source, status: loads[0].status } : null,
		loads: loads.map(({ report: _r, rejects_path: _p, ...l }) => l),
		selected: selected ? { load_id: selected.load_id, report, rejects: readRejects(selected.rejects_path) } : null,
		findings,
		required: REQUIRED,
		allColumns: ALL_COLUMNS
	};
};

export const actions: Actions = {
	upload: async ({ request, locals }) => {
		const user = requireUser(locals);
		const form = await request.formData();
		const files = form.getAll('files').filter((f): f is File => f instanceof File && f.size > 0);
		if (!files.length) return fail(400, { error: 'no files chosen' });
		const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vso-upload-'));
		try {
			const inputs = [];
			for (const f of files) {
				// A folder upload sends "folder/orders.csv": only the base name matters, and it must stay inside dir.
				const name = path.basename(f.name.replaceAll('\\', '/'));
				if (!/^[A-Za-z0-9_.-]+$/.test(name)) continue;
				const p = path.join(dir, name);
				fs.writeFileSync(p, Buffer.from(await f.arrayBuffer()));
				inputs.push({ name, path: p });
			}
			if (!inputs.length) return fail(400, { error: 'no usable file names' });
			const db = await getDb();
			const report = await ingestFiles(db, inputs, { actor: user.email, source: `upload: ${inputs.map((i) => i.name).join(', ')}` });
			return { report: { loadId: report.loadId, status: report.status, tables: report.tables, findings: report.findings, error: report.error ?? null } };
		} catch (e) {
			return fail(400, { error: (e as Error).message });
		} finally {
			fs.rmSync(dir, { recursive: true, force: true });
		}
	}
};
