/**
 * Import of the tax system's invoice numbers (发票号码) for our serials (发票流水号): a CSV that
 * finance downloads from the tax system or types, `发票流水号,发票号码` (or `invoice_serial,
 * invoice_number`). All or nothing: one bad row and nothing is imported, with every problem named
 * by its line. Re-importing the same pairs changes nothing; a serial never gets a second number.
 * Red-letter entries issued afterwards carry their original's number (stage-invoices.sql).
 */
import Papa from 'papaparse';
import { z } from 'zod';
import type { Db } from '../db/connection.ts';

export const SERIAL_RE = /^V[SR]\d{6}\d{8}\d{2}$/;
/** 数电票 numbers have 20 digits; older paper invoices 8 (with a 10–12 digit 发票代码, not ours). */
export const INVOICE_NUMBER_RE = /^(\d{20}|\d{8})$/;

const HEADERS: Record<string, 'serial' | 'invoice_number'> = {
	发票流水号: 'serial',
	invoice_serial: 'serial',
	serial: 'serial',
	发票号码: 'invoice_number',
	invoice_number: 'invoice_number'
};

export const InvoiceNumberRow = z.object({
	serial: z.string().trim().regex(SERIAL_RE, '发票流水号 must look like VS/VR + YYYYMM + 10 digits (18 characters)'),
	invoice_number: z.string().trim().regex(INVOICE_NUMBER_RE, '发票号码 must be 20 digits (数电票) or 8 digits')
});
export type InvoiceNumberRow = z.infer<typeof InvoiceNumberRow>;

export interface InvoiceNumberImport {
	/** pairs newly recorded */
	imported: number;
	/** pairs already recorded with the same number */
	unchanged: number;
	/** "line N: …" — when not empty nothing was imported */
	errors: string[];
}

/** Parses and checks the file's shape (no database): rows with their line numbers, or errors. */
export function parseInvoiceNumbers(text: string): { rows: (InvoiceNumberRow & { line: number })[]; errors: string[] } {
	const parsed = Papa.parse<string[]>(text.replace(/^\uFEFF/, ''), { skipEmptyLines: 'greedy' });
	const errors: string[] = parsed.errors.map((e) => `line ${(e.row ?? 0) + 1}: ${e.message}`);
	const [head, ...data] = parsed.data;
	const cols = (head ?? []).map((h) => HEADERS[h.trim()]);
	const si = cols.indexOf('serial');
	const ni = cols.indexOf('invoice_number');
	if (si < 0 || ni < 0) return { rows: [], errors: ['line 1: the header must name 发票流水号 (invoice_serial) and 发票号码 (invoice_number)'] };
	const rows: (InvoiceNumberRow & { line: number })[] = [];
	const bySerial = new Map<string, string>();
	const byNumber = new Map<string, string>();
	data.forEach((r, i) => {
		const line = i + 2;
		const ok = InvoiceNumberRow.safeParse({ serial: r[si] ?? '', invoice_number: r[ni] ?? '' });
		if (!ok.success) {
			errors.push(`line ${line}: ${ok.error.issues.map((x) => x.message).join('; ')}`);
			return;
		}
		const { serial, invoice_number } = ok.data;
		const seen = bySerial.get(serial);
		if (seen !== undefined && seen !== invoice_number) errors.push(`line ${line}: ${serial} appears twice with different numbers (${seen}, ${invoice_number})`);
		const other = byNumber.get(invoice_number);
		if (other !== undefined && other !== serial) errors.push(`line ${line}: 发票号码 ${invoice_number} is given to both ${other} and ${serial}`);
		if (seen !== undefined) return;
		bySerial.set(serial, invoice_number);
		byNumber.set(invoice_number, serial);
		rows.push({ ...ok.data, line });
	});
	if (!errors.length && !rows.length) errors.push('the file holds no pairs');
	return { rows, errors };
}

/** Checks the pairs against the ledger and records them in one transaction (all or nothing). */
export async function importInvoiceNumbers(db: Db, text: string, actor: string): Promise<InvoiceNumberImport> {
	const { rows, errors } = parseInvoiceNumbers(text);
	if (errors.length) return { imported: 0, unchanged: 0, errors };
	const json = JSON.stringify(rows.map((r) => ({ serial: r.serial, invoice_number: r.invoice_number, line: r.line })));
	const given = `SELECT unnest(from_json($rows, '[{"serial":"VARCHAR","invoice_number":"VARCHAR","line":"INTEGER"}]'), recursive := true)`;
	return db.tx(async (t) => {
		const problems = await t.all<{ line: number; serial: string; invoice_number: string; known: boolean; current: string | null; taken_by: string | null }>(
			`WITH g AS (${given})
			 SELECT g.line, g.serial, g.invoice_number, v.serial IS NOT NULL AS known, cur.invoice_number AS current, other.serial AS taken_by
			 FROM g LEFT JOIN vat_invoices v ON v.serial = g.serial
			 LEFT JOIN vat_invoice_numbers cur ON cur.serial = g.serial
			 LEFT JOIN vat_invoice_numbers other ON other.invoice_number = g.invoice_number AND other.serial <> g.serial
			 WHERE v.serial IS NULL OR cur.invoice_number <> g.invoice_number OR other.serial IS NOT NULL
			 ORDER BY g.line`,
			{ rows: json }
		);
		const errs = problems.map((p) =>
			!p.known
				? `line ${p.line}: ${p.serial} is not an issued invoice (发票流水号 unknown to the ledger)`
				: p.current !== null && p.current !== p.invoice_number
					? `line ${p.line}: ${p.serial} already has 发票号码 ${p.current}; a number never changes`
					: `line ${p.line}: 发票号码 ${p.invoice_number} already belongs to ${p.taken_by}`
		);
		if (errs.length) return { imported: 0, unchanged: 0, errors: errs };
		const before = await t.one<{ n: number }>('SELECT count(*)::BIGINT AS n FROM vat_invoice_numbers');
		await t.run(
			`INSERT INTO vat_invoice_numbers (serial, invoice_number, imported_at, imported_by)
			 SELECT serial, invoice_number, now(), $actor FROM (${given}) g
			 WHERE NOT EXISTS (SELECT 1 FROM vat_invoice_numbers cur WHERE cur.serial = g.serial)`,
			{ rows: json, actor }
		);
		const after = await t.one<{ n: number }>('SELECT count(*)::BIGINT AS n FROM vat_invoice_numbers');
		const imported = (after?.n ?? 0) - (before?.n ?? 0);
		await t.run(`INSERT INTO audit_log (actor, action, detail) VALUES ($actor, 'vat.invoice_numbers.import', $detail::JSON)`, {
			actor,
			detail: JSON.stringify({ imported, unchanged: rows.length - imported })
		});
		return { imported, unchanged: rows.length - imported, errors: [] };
	});
}

/** How many issued invoices have a number, and how many do not (finance page). */
export async function invoiceNumberCoverage(db: Db): Promise<{ numbered: number; without: number }> {
	const r = await db.one<{ numbered: number; without: number }>(
		`SELECT count(n.serial)::BIGINT AS numbered, (count(*) - count(n.serial))::BIGINT AS without
		 FROM vat_invoices v LEFT JOIN vat_invoice_numbers n ON n.serial = v.serial`
	);
	return r ?? { numbered: 0, without: 0 };
}
