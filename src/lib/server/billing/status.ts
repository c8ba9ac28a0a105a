/**
 * What the finance page shows: months and their state, bills with payment status, overdue bills,
 * sellers carrying a credit balance, payment surpluses. Payment status is computed when asked
 * (payments never change a bill): paid when the month's payments reach amount_due by 24:00
 * Asia/Shanghai on the due date, partly paid below that, overdue after it while not paid.
 */
import type { Db } from '../db/connection.ts';

export interface MonthState {
	month: string;
	state: 'issued' | 'open';
	issued_at: Date | null;
	actor: string | null;
	bills: number;
	net_service_amount: number;
	amount_due: number;
	files_ready: boolean;
}

export interface BillStatusRow {
	month: string;
	seller_id: string;
	seller_name: string;
	net_service_amount: number;
	amount_due: number;
	total: number;
	due_date: string;
	paid_by_due: number;
	paid: number;
	status: 'paid' | 'partly paid' | 'overdue' | 'due' | 'nothing due';
	/** Past 24:00 Asia/Shanghai of the due date and not paid in full by then. */
	overdue: boolean;
}

export async function billingMonths(db: Db): Promise<MonthState[]> {
	return db.all<MonthState>(
		`SELECT r.month, 'issued' AS state, r.issued_at, r.actor, count(b.seller_id)::BIGINT AS bills,
		        coalesce(sum(b.net_service_amount), 0)::BIGINT AS net_service_amount, coalesce(sum(b.amount_due), 0)::BIGINT AS amount_due,
		        r.files IS NOT NULL AS files_ready
		 FROM bill_runs r LEFT JOIN bills b ON b.month = r.month GROUP BY ALL ORDER BY r.month DESC`
	);
}

export async function billStatuses(db: Db, o: { month?: string; sellerId?: string | null; onlyOverdue?: boolean; now?: Date; limit?: number }): Promise<BillStatusRow[]> {
	return db.all<BillStatusRow>(
		`WITH p AS (
		   SELECT seller_id, month, sum(amount) AS paid FROM payments WHERE paid_at <= $now::TIMESTAMPTZ GROUP BY ALL
		 ), pd AS (
		   SELECT p2.seller_id, p2.month, sum(p2.amount) AS paid_by_due
		   FROM payments p2 JOIN bills b ON b.seller_id = p2.seller_id AND b.month = p2.month
		   WHERE p2.paid_at < (b.due_date + 1)::TIMESTAMP::TIMESTAMPTZ AND p2.paid_at <= $now::TIMESTAMPTZ GROUP BY ALL
		 ), s AS (
		   SELECT b.month, b.seller_id, b.seller_name, b.net_service_amount, b.amount_due, b.total, strftime(b.due_date, '%Y-%m-%d') AS due_date,
		          coalesce(pd.paid_by_due, 0)::BIGINT AS paid_by_due, coalesce(p.paid, 0)::BIGINT AS paid,
		          $now::TIMESTAMPTZ >= (b.due_date + 1)::TIMESTAMP::TIMESTAMPTZ AS past_due
		   FROM bills b LEFT JOIN p ON p.seller_id = b.seller_id AND p.month = b.month
		   LEFT JOIN pd ON pd.seller_id = b.seller_id AND pd.month = b.month
		   WHERE ($month::VARCHAR IS NULL OR b.month = $month) AND ($seller::VARCHAR IS NULL OR b.seller_id = $seller)
		 )
		 SELECT * EXCLUDE (past_due),
		        CASE WHEN amount_due = 0 THEN 'nothing due'
		             WHEN paid_by_due >= amount_due THEN 'paid'
		             WHEN NOT past_due THEN CASE WHEN paid > 0 THEN 'partly paid' ELSE 'due' END
		             WHEN paid_by_due > 0 THEN 'partly paid'
		             ELSE 'overdue' END AS status,
		        past_due AND paid_by_due < amount_due AS overdue
		 FROM s WHERE NOT $only_overdue OR (past_due AND paid_by_due < amount_due)
		 ORDER BY month DESC, seller_id LIMIT $limit`,
		{ now: (o.now ?? new Date()).toISOString(), month: o.month ?? null, seller: o.sellerId ?? null, only_overdue: o.onlyOverdue ?? false, limit: o.limit ?? 1000 }
	);
}

/** Sellers whose latest bill has a negative total: the credit they carry into the next month. */
export async function creditBalances(db: Db): Promise<{ seller_id: string; seller_name: string; month: string; balance: number }[]> {
	return db.all(
		`SELECT seller_id, seller_name, month, total AS balance FROM bills
		 WHERE month = (SELECT max(month) FROM bill_runs) AND total < 0 ORDER BY total, seller_id LIMIT 1000`
	);
}

/** Payments above what was due: a finding for finance. */
export async function paymentSurpluses(db: Db): Promise<{ seller_id: string; month: string; amount_due: number; paid: number }[]> {
	return db.all(
		`SELECT b.seller_id, b.month, b.amount_due, sum(p.amount)::BIGINT AS paid
		 FROM bills b JOIN payments p ON p.seller_id = b.seller_id AND p.month = b.month
		 GROUP BY ALL HAVING sum(p.amount) > b.amount_due ORDER BY b.month DESC, b.seller_id LIMIT 1000`
	);
}
