/**
 * Tables derived from code and configuration, refreshed at every start-up: China's working-day
 * calendar (calendar_days) and the unit price of every price-list combination (unit_prices).
 * SQL joins them instead of re-implementing the rules: the rounding rule stays in src/lib/pricing.ts.
 */
import type { Db } from './connection.ts';
import { calendarRows } from '../../calendar.ts';
import { unitPriceTable } from '../../pricing.ts';
import { loadPriceList } from '../config.ts';

export async function refreshReferenceData(db: Db): Promise<void> {
	const cal = calendarRows();
	const prices = loadPriceList().versions.flatMap(unitPriceTable);
	await db.tx(async (t) => {
		await t.run('DELETE FROM calendar_days');
		await t.run('DELETE FROM unit_prices');
		await t.withConnection(async (c) => {
			const a = await c.createAppender('calendar_days');
			for (const r of cal) {
				a.appendVarchar(r.day); // DuckDB casts to DATE
				a.appendBoolean(r.is_workday);
				a.appendInteger(r.workday_seq);
				if (r.holiday_name) a.appendVarchar(r.holiday_name);
				else a.appendNull();
				a.endRow();
			}
			a.closeSync();
			const p = await c.createAppender('unit_prices');
			for (const r of prices) {
				p.appendVarchar(r.version);
				p.appendVarchar(r.effectiveFrom);
				p.appendVarchar(r.category);
				p.appendVarchar(r.imageType);
				p.appendBoolean(r.rush);
				p.appendBoolean(r.storeLicense);
				p.appendBigInt(BigInt(r.unitPrice));
				p.appendBigInt(BigInt(r.languageUnit));
				p.endRow();
			}
			p.closeSync();
		});
	});
}
