/**
 * "Download this table": re-runs the table's metric request from the URL with every row and writes
 * it as CSV, XLSX (through the billing helper's writers, so every download is formula-safe and
 * reproducible) or JSON (what the browser tests compare the screen with).
 */
import { error } from '@sveltejs/kit';
import { toCsv, type CsvColumn } from '$lib/server/export/csv';
import { tableWorkbook, workbookBytes, type TableColumn } from '$lib/server/export/xlsx';
import { translator } from '$lib/i18n';
import type { Lang, ValueKind } from '$lib/format';
import type { Scope } from '$lib/server/metrics/request';
import { runMetric } from './metrics-bridge.server';
import { MAX_RESULT_ROWS } from '$lib/server/metrics/request';
import { TABLES, tableRequest } from './tables.server';

const cellKind = (k: ValueKind): CsvColumn['kind'] => (k === 'money' ? 'money' : k === 'int' || k === 'number' || k === 'percent' || k === 'hours' ? 'number' : 'text');

/** Values as files want them: dates as ISO text, booleans as true/false, numbers untouched. */
function fileValue(kind: ValueKind, v: unknown): unknown {
	if (v === null || v === undefined) return null;
	if (v instanceof Date) return v.toISOString();
	if (kind === 'bool' || typeof v === 'boolean') return v ? 'true' : 'false';
	return v;
}

export async function exportTable(id: string, url: URL, scope: Scope, lang: Lang, allowed: (id: string) => boolean = () => true): Promise<Response> {
	if (!TABLES[id] || !allowed(id)) error(404, `no table ${id}`);
	const format = url.searchParams.get('format') ?? 'csv';
	if (!['csv', 'xlsx', 'json'].includes(format)) error(400, 'format must be csv, xlsx or json');
	const req = tableRequest(id, url.searchParams, { all: true });
	const result = await runMetric(req, scope).catch((e: Error) => error(400, e.message));
	if (result.rows.length > MAX_RESULT_ROWS) error(413, `${id} has more than ${MAX_RESULT_ROWS.toLocaleString('en')} rows with these filters: narrow them (a shorter range, a category, a provider) to download it`);
	const hide = new Set(TABLES[id].hide ?? []);
	const cols = result.columns.map((c, i) => ({ ...c, i })).filter((c) => !hide.has(c.name));
	const rows = result.rows.map((r) => cols.map((c) => fileValue(c.kind, r[c.i])));
	const totals = result.totals ? cols.map((c) => result.totals![c.i]) : null;
	const name = `${id}${req.range ? `_${req.range.from}_${req.range.to}` : ''}`;
	const headers = { 'cache-control': 'no-store' };

	if (format === 'json') {
		return new Response(JSON.stringify({ table: id, request: req, columns: cols.map(({ name, kind, label }) => ({ name, kind, label })), rows, totals, totalRows: rows.length }), {
			headers: { ...headers, 'content-type': 'application/json; charset=utf-8' }
		});
	}
	if (format === 'csv') {
		const body = toCsv(
			cols.map((c) => ({ name: c.name, kind: cellKind(c.kind) })),
			rows
		);
		return new Response(body, {
			headers: { ...headers, 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}.csv"` }
		});
	}
	const t = translator(lang);
	const columns: TableColumn[] = cols.map((c) => {
		const key = `col.${c.name}`;
		const label = t(key);
		return { name: c.name, header: label === humanKey(key) ? c.label : label, kind: cellKind(c.kind) };
	});
	const wb = tableWorkbook({ sheet: id.slice(0, 31), columns, rows, totals: Boolean(totals) });
	const bytes = await workbookBytes(wb);
	return new Response(new Uint8Array(bytes), {
		headers: {
			...headers,
			'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
			'content-disposition': `attachment; filename="${name}.xlsx"`
		}
	});
}

function humanKey(key: string): string {
	const last = key.slice(key.lastIndexOf('.') + 1).replaceAll('_', ' ');
	return last.charAt(0).toUpperCase() + last.slice(1);
}
