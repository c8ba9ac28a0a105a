/** Reads one month back from the ledger: what render and reconcile work on (issued or in a preview transaction). */
import type { Db } from '../db/connection.ts';
import type { BillRow, InvoiceRow, LineRow, MonthData, RunInfo } from './types.ts';

export async function readMonth(db: Db, month: string): Promise<MonthData> {
	const run = await db.one<{ run_json: string }>('SELECT run_json FROM bill_runs WHERE month = $month', { month });
	if (!run) throw new Error(`month ${month} is not in the ledger`);
	const info = JSON.parse(run.run_json) as RunInfo;
	const bills = await db.all<BillRow>('SELECT * EXCLUDE (due_date), strftime(due_date, \'%Y-%m-%d\') AS due_date FROM bills WHERE month = $month ORDER BY seller_id', { month });
	const lines = await db.all<LineRow>('SELECT * FROM bill_lines WHERE month = $month ORDER BY seller_id, line_no', { month });
	const invoices = await db.all<InvoiceRow>(
		`SELECT * FROM vat_invoices WHERE month = $month ORDER BY kind, serial`,
		{ month }
	);
	const prev = await db.all<{ seller_id: string; total: number }>(
		`SELECT seller_id, total FROM bills WHERE total < 0 AND month = (SELECT max(month) FROM bill_runs WHERE month < $month)`,
		{ month }
	);
	return { info, bills, lines, invoices, previousNegative: new Map(prev.map((r) => [r.seller_id, r.total])) };
}
