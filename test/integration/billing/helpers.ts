/** Billing test setup: stubbed incentive decisions (the real rule lives in metrics/incentives.ts). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BillingDeps } from '../../../src/lib/server/billing/run.ts';
import type { IncentiveDecisionLike, IncentiveSource } from '../../../src/lib/server/billing/types.ts';

export type StubDecision = IncentiveDecisionLike & { closeMonth: string };

export const CONFIG: BillingDeps['config'] = {
	tax_classification_code: '3040203000000000000',
	tax_short_name: '信息技术服务',
	item_name: '视觉内容制作',
	vat_rate: '0.06',
	first_billing_month: '2026-01'
};

/** Deps whose incentive source returns the given decisions for their close month (mutable for late changes). */
export function stubDeps(decisions: StubDecision[] = [], extra: Partial<BillingDeps> = {}): BillingDeps & { decisions: StubDecision[]; calls: string[] } {
	const calls: string[] = [];
	const deps = {
		decisions,
		calls,
		config: CONFIG,
		incentives: (async (_e, o) => {
			calls.push(o.closesInMonth);
			return deps.decisions.filter((d) => d.closeMonth === o.closesInMonth);
		}) as IncentiveSource,
		...extra
	};
	return deps;
}

export function tmpOut(): string {
	return fs.mkdtempSync(path.join(os.tmpdir(), 'bills-test-'));
}

/** Parses one of our CSV files (BOM, LF, no embedded newlines in our test data) into objects. */
export function readCsv(file: string): Record<string, string>[] {
	const text = fs.readFileSync(file, 'utf8');
	if (text.charCodeAt(0) !== 0xfeff) throw new Error(`${file} has no BOM`);
	const [head, ...rows] = text.slice(1).trimEnd().split('\n');
	const cols = head.split(',');
	return rows.map((r) => Object.fromEntries(splitCsvLine(r).map((v, i) => [cols[i], v])));
}

function splitCsvLine(line: string): string[] {
	const out: string[] = [];
	let cur = '';
	let q = false;
	for (let i = 0; i < line.length; i++) {
		const c = line[i];
		if (q) {
			if (c === '"' && line[i + 1] === '"') {
				cur += '"';
				i++;
			} else if (c === '"') q = false;
			else cur += c;
		} else if (c === '"') q = true;
		else if (c === ',') {
			out.push(cur);
			cur = '';
		} else cur += c;
	}
	out.push(cur);
	return out;
}
