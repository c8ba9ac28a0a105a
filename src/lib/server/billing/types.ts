/** Shapes shared by the billing steps. Money is integer fen. */
import type { Db } from '../db/connection.ts';

export interface BillRow {
	month: string;
	seller_id: string;
	seller_name: string;
	uscc: string;
	uscc_valid: boolean;
	order_count: number;
	image_count: number;
	image_fees: number;
	language_fees: number;
	incentives: number;
	refunds: number;
	net_service_amount: number;
	amount_excl_tax: number;
	vat: number;
	credits: number;
	compensation: number;
	carried_balance: number;
	total: number;
	amount_due: number;
	due_date: string;
}

export type LineType = 'image_fee' | 'language_fee' | 'incentive' | 'refund' | 'credit' | 'compensation' | 'adjustment' | 'carried_balance';

export interface LineRow {
	month: string;
	seller_id: string;
	line_no: number;
	line_type: LineType;
	amount_type: Exclude<LineType, 'adjustment'>;
	order_id: string | null;
	sku_id: string | null;
	category: string | null;
	description: string;
	quantity: number;
	unit_price: number;
	amount: number;
	month_of_origin: string;
	charge_month: string | null;
}

export interface InvoiceRow {
	serial: string;
	month: string;
	seller_id: string;
	kind: 'blue' | 'red';
	original_serial: string | null;
	original_month: string | null;
	buyer_name: string;
	buyer_tax_id: string;
	buyer_address: string | null;
	buyer_phone: string | null;
	buyer_bank: string | null;
	buyer_account: string | null;
	tax_code: string;
	item_name: string;
	tax_rate: string;
	total: number;
	amount_excl_tax: number;
	tax: number;
	original_invoice_number: string | null;
	invoice_number: string | null;
}

export interface Finding {
	kind: 'invalid_uscc' | 'missing_seller' | 'red_without_original' | 'missing_input';
	seller_id: string | null;
	detail: string;
}

/** What run.json says besides the file hashes (stored in the ledger for issued months). */
export interface RunInfo {
	month: string;
	preview: boolean;
	inputs: Record<string, number>;
	missing_inputs: string[];
	totals: Record<string, number>;
	findings: Finding[];
	earlier_months_issued: string[];
}

/** Per seller, the lines' amounts summed by amount type (the summary column they count in). */
export type LineSums = Map<string, Record<string, number>>;

/** The month's lines in (seller_id, line_no) order, handed over in chunks (read.ts streamLines). */
export type LineSource = (onChunk: (rows: LineRow[]) => void | Promise<void>) => Promise<void>;

export interface MonthData {
	info: RunInfo;
	bills: BillRow[];
	/** Σ amount per seller and amount type, from the ledger's lines (what the files' lines must add up to). */
	lineSums: LineSums;
	lineCount: number;
	invoices: InvoiceRow[];
	/** The previous issued month's negative totals by seller (what this month must carry). */
	previousNegative: Map<string, number>;
}

/** One incentive decision as the billing job needs it (src/lib/server/metrics/incentives.ts gives more). */
export interface IncentiveDecisionLike {
	orderId: string;
	sellerId: string;
	skuId: string;
	category: string;
	qualifies: boolean;
	tierRate: number;
	amountFen: number;
}

/** A month's decisions, all at once or in chunks (the real source: a full-platform month is ~500,000). */
export type IncentiveSource = (
	engine: Db,
	opts: { closesInMonth: string; scope: { sellerId: string | null } }
) => Promise<IncentiveDecisionLike[]> | AsyncIterable<IncentiveDecisionLike[]>;

export interface Progress {
	month: string;
	step: 'collect' | 'reconcile' | 'render' | 'sellers' | 'publish' | 'done';
	done: number;
	total: number;
	message?: string;
}
