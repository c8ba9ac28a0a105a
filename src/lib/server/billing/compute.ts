/**
 * Collect → adjust → compute bills → VAT, for one month, inside the caller's transaction; the
 * results go straight into the ledger tables (a preview rolls the transaction back afterwards).
 * All bulk work is SQL over temp tables; JS only hands the incentive decisions in (Appender).
 */
import type { Db } from '../db/connection.ts';
import { parseDecimal } from '../../money.ts';
import { eventParams, feeSource, sqlWithFees } from './amounts.ts';
import { addMonths, dueDate, lastDay, monthsBetween } from './months.ts';
import { collectGarbage, peakRssMb } from './memory.ts';
import { sql } from './sql.ts';
import type { Finding, IncentiveDecisionLike, IncentiveSource, RunInfo } from './types.ts';

export interface VatSettings {
	rate: string;
	taxCode: string;
	itemName: string;
}

export interface ComputeContext {
	incentives: IncentiveSource;
	vat: VatSettings;
	actor: string;
	preview: boolean;
	earlierIssued: string[];
}

/** Newest load seen in the data: a month issued at this watermark saw everything there is now. */
export async function dataWatermark(db: Db): Promise<number> {
	const r = await db.one<{ w: number }>(`SELECT greatest(
		coalesce((SELECT max(load_id) FROM loads), 0), coalesce((SELECT max(_load_id) FROM orders), 0),
		coalesce((SELECT max(_load_id) FROM disputes), 0), coalesce((SELECT max(_load_id) FROM delistings), 0),
		coalesce((SELECT max(_load_id) FROM ctr_daily), 0), coalesce((SELECT max(_load_id) FROM sellers), 0))::BIGINT AS w`);
	return r?.w ?? 0;
}

async function stageIncentives(t: Db, months: string[], source: IncentiveSource): Promise<{ decisions: number; qualified: number }> {
	await t.run('DELETE FROM bill_incentive_stage');
	let decisions = 0;
	let qualified = 0;
	for (const m of months) {
		const got = source(t, { closesInMonth: m, scope: { sellerId: null } });
		// a chunked source is consumed chunk by chunk: each goes to the Appender before the next is read
		const chunks: AsyncIterable<IncentiveDecisionLike[]> = Symbol.asyncIterator in got ? got : (async function* () { yield await got; })();
		for await (const rows of chunks) {
			const pay = rows.filter((r) => r.qualifies && r.amountFen !== 0);
			if (m === months[0]) {
				decisions += rows.length;
				qualified += pay.length;
			}
			if (pay.length) await appendIncentives(t, m, pay);
			// The chunk is in DuckDB now; its decisions are garbage. Collected chunk by chunk, dead
			// decisions do not pile up in the heap beside DuckDB's memory (memory.ts).
			collectGarbage();
		}
	}
	return { decisions, qualified };
}

async function appendIncentives(t: Db, month: string, pay: IncentiveDecisionLike[]): Promise<void> {
	await t.withConnection(async (c) => {
		const a = await c.createAppender('bill_incentive_stage');
		for (const r of pay) {
			if (!Number.isSafeInteger(r.amountFen)) throw new RangeError(`incentive of order ${r.orderId} is not integer fen: ${r.amountFen}`);
			a.appendVarchar(month);
			a.appendVarchar(r.orderId);
			a.appendVarchar(r.sellerId);
			a.appendVarchar(r.skuId);
			a.appendVarchar(r.category);
			a.appendInteger(r.tierRate);
			a.appendBigInt(BigInt(r.amountFen));
			a.endRow();
		}
		a.flushSync();
		a.closeSync();
	});
}

// BILLS_TIMINGS=1: each step's seconds and memory on stderr (profiling the collect step; never in the files).
const stepTimer = (t: Db) => {
	let last = performance.now();
	return async (step: string) => {
		const now = performance.now();
		if (process.env.BILLS_TIMINGS) {
			const m = process.memoryUsage();
			const mb = (n: number) => Math.round(n / 1e6);
			const duck = await t.all<{ tag: string; mb: number }>(
				'SELECT tag, (memory_usage_bytes / 1e6)::BIGINT AS mb FROM duckdb_memory() WHERE memory_usage_bytes > 20e6 ORDER BY memory_usage_bytes DESC'
			);
			process.stderr.write(
				`bills ${step}: ${((now - last) / 1000).toFixed(2)} s, rss ${mb(m.rss)} MB (peak so far ${peakRssMb() ?? '?'}), heap ${mb(m.heapUsed)}/${mb(m.heapTotal)} MB, ` +
					`DuckDB ${duck.map((d) => `${d.tag} ${d.mb}`).join(', ') || '-'}\n`
			);
		}
		last = performance.now();
	};
};

/** Computes month `month` into the ledger tables (bill_runs, bills, bill_lines, vat_invoices). */
export async function computeMonth(t: Db, month: string, ctx: ComputeContext): Promise<RunInfo> {
	const step = stepTimer(t);
	const issued = await t.all<{ month: string; data_watermark: number }>('SELECT month, data_watermark FROM bill_runs ORDER BY month');
	const prev = issued.filter((r) => r.month < month).at(-1);
	const adjFrom = issued.length && issued[0].month < month ? issued[0].month : month;
	const watermark = await dataWatermark(t);
	// Incentives of issued months are looked at again only when data arrived since the last issue.
	const checkIncentives = prev !== undefined && watermark !== prev.data_watermark;
	const incMonths = [month, ...(checkIncentives ? monthsBetween(adjFrom, addMonths(month, -1)) : [])];
	const inc = await stageIncentives(t, incMonths, ctx.incentives);
	await step('incentives');

	const rate = parseDecimal(ctx.vat.rate);
	const rateParams = { rate_num: Number(rate.num), rate_den: Number(rate.den) };
	await t.run(sqlWithFees('stage-events', await feeSource(t)), eventParams(adjFrom, month));
	await step('events');
	await t.run(sql('stage-lines'), { month, prev_month: prev?.month ?? null, check_incentives: checkIncentives });
	await step('lines');
	await t.run(sql('stage-bills'), { month, due_date: dueDate(month), ...rateParams });
	await step('bills');
	await t.run(sql('stage-invoices'), { month, tax_code: ctx.vat.taxCode, item_name: ctx.vat.itemName, rate: ctx.vat.rate, ...rateParams });
	await step('invoices');

	const counts = await t.one<Record<string, number>>(
		`SELECT
		  (SELECT count(*) FROM _lines WHERE line_type = 'image_fee')::BIGINT AS orders_charged,
		  (SELECT count(*) FROM _lines WHERE line_type = 'refund')::BIGINT AS refund_rulings,
		  (SELECT count(*) FROM _lines WHERE line_type = 'compensation')::BIGINT AS delistings_compensated,
		  (SELECT count(*) FROM _lines WHERE line_type = 'adjustment')::BIGINT AS adjustment_lines,
		  (SELECT count(*) FROM _lines WHERE line_type = 'carried_balance')::BIGINT AS carried_balances,
		  (SELECT count(*) FROM _lines)::BIGINT AS bill_lines,
		  (SELECT count(*) FROM _bills)::BIGINT AS sellers_billed,
		  (SELECT count(*) FROM ctr_daily WHERE date >= $from::DATE AND date <= $last::DATE)::BIGINT AS ctr_rows`,
		{ from: `${month}-01`, last: lastDay(month) }
	);
	const missing: string[] = [];
	const ctrLast = await t.one<{ n: number }>('SELECT count(*)::BIGINT AS n FROM ctr_daily WHERE date = $d::DATE', { d: lastDay(month) });
	if (!ctrLast?.n) missing.push(`ctr_daily: no rows for ${lastDay(month)} (incentives closing that day may be missing)`);
	const findings: Finding[] = [];
	for (const r of await t.all<{ seller_id: string }>(`SELECT seller_id FROM _bills WHERE seller_name = '' AND uscc = '' ORDER BY seller_id`)) {
		missing.push(`sellers: no row for seller ${r.seller_id}`);
		findings.push({ kind: 'missing_seller', seller_id: r.seller_id, detail: 'billed without a seller row (name, USCC and invoice details unknown)' });
	}
	for (const r of await t.all<{ seller_id: string; uscc: string; net: number }>(
		`SELECT seller_id, uscc, net_service_amount AS net FROM _bills WHERE NOT uscc_valid AND uscc <> '' ORDER BY seller_id`
	)) {
		findings.push({ kind: 'invalid_uscc', seller_id: r.seller_id, detail: `USCC ${r.uscc} fails the GB 32100-2015 check: left out of the VAT export (net service amount ${r.net} fen)` });
	}
	for (const r of await t.all<{ seller_id: string; serial: string; original_month: string }>(
		`SELECT seller_id, serial, original_month FROM _inv WHERE kind = 'red' AND original_serial IS NULL ORDER BY serial`
	)) {
		findings.push({ kind: 'red_without_original', seller_id: r.seller_id, detail: `red-letter ${r.serial}: no blue invoice for ${r.original_month} in the ledger` });
	}
	const totals = await t.one<Record<string, number>>(
		`SELECT count(*)::BIGINT AS bills,
		  coalesce(sum(image_fees), 0)::BIGINT AS image_fees, coalesce(sum(language_fees), 0)::BIGINT AS language_fees,
		  coalesce(sum(incentives), 0)::BIGINT AS incentives, coalesce(sum(refunds), 0)::BIGINT AS refunds,
		  coalesce(sum(net_service_amount), 0)::BIGINT AS net_service_amount, coalesce(sum(amount_excl_tax), 0)::BIGINT AS amount_excl_tax,
		  coalesce(sum(vat), 0)::BIGINT AS vat, coalesce(sum(credits), 0)::BIGINT AS credits,
		  coalesce(sum(compensation), 0)::BIGINT AS compensation, coalesce(sum(carried_balance), 0)::BIGINT AS carried_balance,
		  coalesce(sum(amount_due), 0)::BIGINT AS amount_due,
		  coalesce(sum(net_service_amount) FILTER (WHERE NOT uscc_valid), 0)::BIGINT AS net_left_out_of_vat,
		  (SELECT coalesce(sum(total), 0) FROM _inv WHERE kind = 'blue')::BIGINT AS vat_blue_total,
		  (SELECT coalesce(sum(total), 0) FROM _inv WHERE kind = 'red')::BIGINT AS vat_red_total
		FROM _bills`
	);
	const info: RunInfo = {
		month,
		preview: ctx.preview,
		inputs: { ...counts, incentive_decisions: inc.decisions, incentives_qualified: inc.qualified },
		missing_inputs: missing,
		totals: totals ?? {},
		findings,
		earlier_months_issued: ctx.earlierIssued
	};

	await step('counts, findings, totals');
	await t.run(`INSERT INTO bills SELECT * FROM _bills`);
	await t.run(
		`INSERT INTO bill_lines SELECT month, seller_id, line_no, line_type, amount_type, order_id, sku_id, category, description,
		 quantity, unit_price, amount, month_of_origin, charge_month FROM _lines`
	);
	await t.run(`INSERT INTO vat_invoices SELECT * FROM _inv`);
	await t.run(`INSERT INTO bill_runs VALUES ($month, now(), $actor, $wm, $json, NULL, NULL)`, {
		month,
		actor: ctx.actor,
		wm: watermark,
		json: JSON.stringify(info)
	});
	await t.run('DROP TABLE IF EXISTS _ev; DROP TABLE IF EXISTS _lines; DROP TABLE IF EXISTS _bills; DROP TABLE IF EXISTS _inv;');
	await step('ledger insert');
	return info;
}

/** Months in [from, to] with anything billable: rule amounts, a closing incentive window. */
export async function monthsWithActivity(db: Db, from: string, to: string): Promise<string[]> {
	if (from > to) return [];
	const rows = await db.all<{ month: string }>(
		`SELECT DISTINCT month FROM (
		   SELECT month FROM (${sqlWithFees('events', await feeSource(db)).replace(/;\s*$/, '')}) ev
		   UNION ALL
		   SELECT strftime(live_at::DATE + 29, '%Y-%m') FROM orders
		   WHERE live_at IS NOT NULL AND live_at::DATE + 29 >= $from_ts::DATE AND live_at::DATE + 29 < $to_ts::DATE
		 ) ORDER BY month`,
		eventParams(from, to)
	);
	return rows.map((r) => r.month);
}
