/**
 * The bench's table: every figure with what it must be read against, its target and where the
 * target comes from, and pass / fail ('—' when there is no target, 'n/m' when not measured).
 */
/** Where a target comes from: an issue ('issue #4', 'issues #5, #7 …'), the contract, stack.md, the brief, or the bench itself. */
export type TargetSource = 'contract' | 'stack.md' | 'brief' | 'bench' | `issue ${string}` | `issues ${string}` | null;

export interface Figure {
	section: string;
	figure: string;
	value: string;
	comparison: string;
	target: string;
	/** where the target comes from; 'bench' = a working target set here (see bench/README.md) */
	source: TargetSource;
	pass: boolean | null;
	/** false: not measured (the section was skipped or could not run) */
	measured?: boolean;
}

const verdict = (f: Figure) => (f.measured === false ? 'n/m' : f.pass === null ? '—' : f.pass ? 'PASS' : 'FAIL');

export function formatTable(figures: Figure[]): string {
	const head = ['figure', 'value', 'comparison', 'target', 'pass'];
	const rows = figures.map((f) => [f.figure, f.value, f.comparison, f.target ? `${f.target}${f.source ? ` (${f.source})` : ''}` : '', verdict(f)]);
	const width = head.map((h, i) => Math.min(i === 2 ? 70 : 48, Math.max(h.length, ...rows.map((r) => r[i].length))));
	const cut = (s: string, w: number) => (s.length > w ? s.slice(0, w - 1) + '…' : s.padEnd(w));
	const line = (cells: string[]) => cells.map((c, i) => cut(c, width[i])).join(' | ');
	const out = [line(head), width.map((w) => '-'.repeat(w)).join('-|-')];
	let section = '';
	for (let i = 0; i < figures.length; i++) {
		if (figures[i].section !== section) {
			section = figures[i].section;
			out.push(`[${section}]`);
		}
		out.push(line(rows[i]));
	}
	return out.join('\n');
}

export const ms = (x: number) => (Number.isFinite(x) ? (x >= 10 ? `${Math.round(x)} ms` : `${x.toFixed(1)} ms`) : 'n/a');
export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
export const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
export const x = (r: number) => (Number.isFinite(r) ? `${r.toFixed(2)}×` : 'n/a');
