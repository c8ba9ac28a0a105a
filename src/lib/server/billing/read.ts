/**
 * Reads one month back from the ledger: what render and reconcile work on (issued or in a preview
 * transaction). Bills, invoices and the per-seller sums of the lines are small enough to hold; the
 * lines themselves are streamed in chunks (`streamLines`), never held for the whole month.
 */
import type { Db } from '../db/connection.ts';
import type { BillRow, InvoiceRow, LineRow, LineSource, LineSums, MonthData, RunInfo } from './types.ts';

export async function readMonth(db: Db, month: string): Promise<MonthData> {
	const run = await db.one<{ run_json: string }>('SELECT run_json FROM bill_runs WHERE month = $month', { month });
	if (!run) throw new Error(`month ${month} is not in the ledger`);
	const info = JSON.parse(run.run_json) as RunInfo;
	const bills = await db.all<BillRow>('SELECT * EXCLUDE (due_date), strftime(due_date, \'%Y-%m-%d\') AS due_date FROM bills WHERE month = $month ORDER BY seller_id', { month });
	const sums = await db.all<{ seller_id: string; amount_type: string; amount: number; lines: number }>(
		`SELECT seller_id, amount_type, sum(amount)::BIGINT AS amount, count(*)::BIGINT AS lines FROM bill_lines WHERE month = $month GROUP BY ALL ORDER BY ALL`,
		{ month }
	);
	const lineSums: LineSums = new Map();
	for (const s of sums) {
		const acc = lineSums.get(s.seller_id) ?? {};
		acc[s.amount_type] = (acc[s.amount_type] ?? 0) + s.amount;
		lineSums.set(s.seller_id, acc);
	}
	const invoices = await db.all<InvoiceRow>(
		`SELECT * FROM vat_invoices WHERE month = $month ORDER BY kind, serial`,
		{ month }
	);
	const prev = await db.all<{ seller_id: string; total: number }>(
		`SELECT seller_id, total FROM bills WHERE total < 0 AND month = (SELECT max(month) FROM bill_runs WHERE month < $month)`,
		{ month }
	);
	const lineCount = sums.reduce((n, s) => n + s.lines, 0);
	return { info, bills, lineSums, lineCount, invoices, previousNegative: new Map(prev.map((r) => [r.seller_id, r.total])) };
}

const LINE_SQL = `SELECT seller_id, line_no, line_type, amount_type, order_id, sku_id, category, description,
  quantity::DOUBLE AS quantity, unit_price::DOUBLE AS unit_price, amount::DOUBLE AS amount, month_of_origin
FROM bill_lines WHERE month = $month ORDER BY seller_id, line_no`;

/**
 * The month's lines in (seller_id, line_no) order, a DuckDB chunk (≈2,048 rows) at a time. Money
 * comes as DOUBLE: integer fen below 2^53 are exact (checked), and no BigInt per cell.
 */
export function streamLines(db: Db, month: string): LineSource {
	return (onChunk) =>
		db.withConnection(async (c) => {
			const result = await c.stream(LINE_SQL, { month });
			for (;;) {
				const chunk = await result.fetchChunk();
				if (!chunk || chunk.rowCount === 0) break;
				const cols = chunk.getColumns();
				const n = chunk.rowCount;
				const rows: LineRow[] = new Array(n);
				for (let i = 0; i < n; i++) {
					const amount = cols[10][i] as number;
					if (!Number.isSafeInteger(amount)) throw new RangeError(`bill line amount ${amount} is not integer fen`);
					rows[i] = {
						month,
						seller_id: cols[0][i] as string,
						line_no: cols[1][i] as number,
						line_type: cols[2][i] as LineRow['line_type'],
						amount_type: cols[3][i] as LineRow['amount_type'],
						order_id: cols[4][i] as string | null,
						sku_id: cols[5][i] as string | null,
						category: cols[6][i] as string | null,
						description: cols[7][i] as string,
						quantity: cols[8][i] as number,
						unit_price: cols[9][i] as number,
						amount,
						month_of_origin: cols[11][i] as string,
						charge_month: null
					};
				}
				await onChunk(rows);
			}
		});
}
