import { describe, expect, it } from 'vitest';
import { MAX_LOCAL_ROWS, tableRequest, TABLES } from '../../../src/routes/export/registry.ts';
import { MAX_RESULT_ROWS, parseRequest } from '../../../src/lib/server/metrics/request.ts';

// A download is "all rows, with the filters": it must never be cut silently at a page-sized cap
// (it once was, at 10,000 — the scale-100 guidance list has ~18,000 sellers, the CTR orders 2.5M).
describe('table row caps', () => {
	const params = new URLSearchParams('from=2026-01-01&to=2026-03-31');

	it('a download asks for one row past the cap of a result, so an overflow is seen and refused, never cut', () => {
		for (const id of Object.keys(TABLES)) {
			const req = tableRequest(id, params, { all: true, today: '2026-11-27' });
			expect(req.limit, id).toBe(MAX_RESULT_ROWS + 1);
			expect(req.offset, id).toBe(0);
			expect(() => parseRequest(req), id).not.toThrow();
		}
	});

	it('a locally paged table asks for one group past its cap; a metric-paged one for its page', () => {
		const local = tableRequest('rework_provider', params, { today: '2026-11-27' });
		expect(local.limit).toBe(MAX_LOCAL_ROWS + 1);
		const paged = tableRequest('sla_breaches', new URLSearchParams('from=2026-01-01&to=2026-03-31&sla_breaches.page=3'), { today: '2026-11-27' });
		expect(paged.limit).toBe(TABLES.sla_breaches.pageSize);
		expect(paged.offset).toBe(2 * TABLES.sla_breaches.pageSize);
	});

	it('the request schema refuses more than the cap plus one', () => {
		expect(() => parseRequest({ metric: 'rework', limit: MAX_RESULT_ROWS + 2 })).toThrow();
	});
});
