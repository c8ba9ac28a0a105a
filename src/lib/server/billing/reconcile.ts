/**
 * The run's own reconciliation, before anything is moved into place: on the ledger's bills,
 * invoices and per-seller line sums (render.ts then checks that the lines it writes add up to those
 * same sums). Returns messages naming seller and figures; empty means it reconciles.
 */
import { formatYuan } from '../../money.ts';
import type { MonthData } from './types.ts';

const COLUMN_OF: Record<string, string> = {
	image_fee: 'image_fees',
	language_fee: 'language_fees',
	incentive: 'incentives',
	refund: 'refunds',
	credit: 'credits',
	compensation: 'compensation',
	carried_balance: 'carried_balance'
};
const SUMMED = ['image_fees', 'language_fees', 'incentives', 'refunds', 'net_service_amount', 'amount_excl_tax', 'vat', 'credits', 'compensation', 'carried_balance', 'amount_due'] as const;

const y = formatYuan;

export function reconcile(d: MonthData): string[] {
	const errors: string[] = [];
	const month = d.info.month;
	const fromLines = new Map<string, Record<string, number>>();
	for (const [seller, byType] of d.lineSums) {
		const acc: Record<string, number> = {};
		for (const [type, amount] of Object.entries(byType)) {
			const col = COLUMN_OF[type];
			if (!col) errors.push(`${month} seller ${seller}: lines of unknown amount type ${type}`);
			else acc[col] = (acc[col] ?? 0) + amount;
		}
		fromLines.set(seller, acc);
	}
	const sums: Record<string, number> = {};
	let netLeftOut = 0;
	const billed = new Set<string>();
	for (const b of d.bills) {
		billed.add(b.seller_id);
		const acc = fromLines.get(b.seller_id) ?? {};
		for (const col of Object.values(COLUMN_OF)) {
			const lineSum = acc[col] ?? 0;
			const billValue = (b as unknown as Record<string, number>)[col];
			if (lineSum !== billValue) errors.push(`${month} seller ${b.seller_id}: ${col} lines sum to ${y(lineSum)} but the bill says ${y(billValue)}`);
		}
		const net = b.image_fees + b.language_fees + b.incentives + b.refunds;
		if (net !== b.net_service_amount) errors.push(`${month} seller ${b.seller_id}: net_service_amount ${y(b.net_service_amount)} ≠ image + language + incentives + refunds = ${y(net)}`);
		if (b.amount_excl_tax + b.vat !== b.net_service_amount) errors.push(`${month} seller ${b.seller_id}: amount_excl_tax ${y(b.amount_excl_tax)} + vat ${y(b.vat)} ≠ net ${y(b.net_service_amount)}`);
		const total = b.net_service_amount + b.credits + b.compensation + b.carried_balance;
		if (Math.max(0, total) !== b.amount_due) errors.push(`${month} seller ${b.seller_id}: amount_due ${y(b.amount_due)} ≠ max(0, ${y(total)})`);
		const carried = d.previousNegative.get(b.seller_id) ?? 0;
		if (carried !== b.carried_balance) errors.push(`${month} seller ${b.seller_id}: carried_balance ${y(b.carried_balance)} ≠ previous month's negative total ${y(carried)}`);
		if (!b.uscc_valid) netLeftOut += b.net_service_amount;
		for (const c of SUMMED) sums[c] = (sums[c] ?? 0) + (b as unknown as Record<string, number>)[c];
	}
	for (const [seller, total] of d.previousNegative) {
		if (!billed.has(seller)) errors.push(`${month} seller ${seller}: previous month's negative total ${y(total)} is not carried (no bill)`);
	}
	for (const s of fromLines.keys()) if (!billed.has(s)) errors.push(`${month} seller ${s}: has lines but no bill`);
	for (const c of SUMMED) {
		const summary = d.info.totals[c] ?? 0;
		if ((sums[c] ?? 0) !== summary) errors.push(`${month} summary: ${c} of the bills sums to ${y(sums[c] ?? 0)} but the summary says ${y(summary)}`);
	}
	// VAT: blue − red (tax included) + net of sellers left out = Σ net service amounts.
	let blue = 0;
	let red = 0;
	const perSeller = new Map<string, number>();
	for (const inv of d.invoices) {
		if (inv.kind === 'blue') {
			if (inv.total <= 0) errors.push(`${month} seller ${inv.seller_id}: blue invoice ${inv.serial} total ${y(inv.total)} is not positive`);
			blue += inv.total;
		} else {
			if (inv.total >= 0) errors.push(`${month} seller ${inv.seller_id}: red-letter ${inv.serial} total ${y(inv.total)} is not negative`);
			red += -inv.total;
		}
		if (inv.amount_excl_tax + inv.tax !== inv.total) errors.push(`${month} seller ${inv.seller_id}: invoice ${inv.serial} amount ${y(inv.amount_excl_tax)} + tax ${y(inv.tax)} ≠ ${y(inv.total)}`);
		if (inv.serial.length > 20) errors.push(`${month} seller ${inv.seller_id}: serial ${inv.serial} is longer than 20 characters`);
		perSeller.set(inv.seller_id, (perSeller.get(inv.seller_id) ?? 0) + inv.total);
	}
	for (const b of d.bills) {
		const invoiced = perSeller.get(b.seller_id) ?? 0;
		const expected = b.uscc_valid ? b.net_service_amount : 0;
		if (invoiced !== expected) errors.push(`${month} seller ${b.seller_id}: VAT blue − red = ${y(invoiced)} but net_service_amount is ${y(expected)}`);
	}
	const net = sums.net_service_amount ?? 0;
	if (blue - red + netLeftOut !== net) errors.push(`${month} VAT export: blue ${y(blue)} − red ${y(red)} + left out ${y(netLeftOut)} ≠ Σ net service amounts ${y(net)}`);
	return errors;
}

export class ReconciliationError extends Error {
	constructor(public readonly problems: string[]) {
		super(`reconciliation failed, nothing was issued:\n  ${problems.slice(0, 20).join('\n  ')}${problems.length > 20 ? `\n  … and ${problems.length - 20} more` : ''}`);
		this.name = 'ReconciliationError';
	}
}

/** The lines a renderer wrote, summed per seller and amount type, against the sums reconcile() checked. */
export function checkWrittenLines(month: string, expected: MonthData['lineSums'], written: MonthData['lineSums']): string[] {
	const errors: string[] = [];
	for (const seller of new Set([...expected.keys(), ...written.keys()])) {
		const a = expected.get(seller) ?? {};
		const b = written.get(seller) ?? {};
		for (const type of new Set([...Object.keys(a), ...Object.keys(b)])) {
			if ((a[type] ?? 0) !== (b[type] ?? 0))
				errors.push(`${month} seller ${seller}: the ${type} lines written sum to ${y(b[type] ?? 0)} but the ledger's sum to ${y(a[type] ?? 0)}`);
		}
	}
	return errors;
}
