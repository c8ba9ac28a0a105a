/**
 * Data-quality findings for the dashboard (loaded rows are never dropped; they are listed here).
 * Each list is capped (limit) with its full count; SQL in ./sql/findings_*.sql and uscc_check.sql.
 */
import type { QueryEngine } from './engine.ts';
import type { ResultRow } from './result.ts';
import type { Scope } from './request.ts';
import { sqlFile } from './sql.ts';

export interface FindingList {
	count: number;
	rows: ResultRow[];
}

export interface Findings {
	ineligibleSellers: FindingList;
	licenceFlags: FindingList;
	invalidCreditCodes: FindingList;
	missingMilestones: FindingList;
	/** Deadlines past the calendar's last year, by the first missing year. */
	beyondCalendar: FindingList;
}

async function list(engine: QueryEngine, file: string, where: string, scope: Scope, limit: number): Promise<FindingList> {
	const conds = [where, scope.sellerId !== null ? 'seller_id = $scope_seller' : ''].filter(Boolean);
	const sql = `SELECT *, count(*) OVER () AS total_count FROM (${sqlFile(file)}) f${conds.length ? ` WHERE ${conds.join(' AND ')}` : ''} ORDER BY 1 LIMIT $limit`;
	const params: Record<string, unknown> = { limit };
	if (scope.sellerId !== null) params.scope_seller = scope.sellerId;
	const rows = await engine.all<ResultRow>(sql, params);
	const count = rows.length ? Number(rows[0].total_count) : 0;
	for (const r of rows) delete r.total_count;
	return { count, rows };
}

export async function runFindings(engine: QueryEngine, scope: Scope, opts: { limit?: number } = {}): Promise<Findings> {
	const limit = opts.limit ?? 200;
	const [ineligibleSellers, licenceFlags, invalidCreditCodes, missingMilestones, beyondCalendar] = await Promise.all([
		list(engine, 'findings_ineligible.sql', '', scope, limit),
		list(engine, 'findings_licence.sql', '', scope, limit),
		list(engine, 'uscc_check.sql', 'NOT valid', scope, limit),
		list(engine, 'findings_milestones.sql', '', scope, limit),
		scope.sellerId === null ? list(engine, 'findings_calendar.sql', '', scope, limit) : Promise.resolve({ count: 0, rows: [] })
	]);
	return { ineligibleSellers, licenceFlags, invalidCreditCodes, missingMilestones, beyondCalendar };
}
