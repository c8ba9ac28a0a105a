/**
 * Record ordinal → physical start line of a CSV file (header = line 1), following RFC 4180
 * quoting: a quoted field may span lines, so record N does not start on line N + 2. Blank lines
 * between records are skipped, as DuckDB's reader skips them. Only run for files with rejects.
 */
import fs from 'node:fs';

const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;

/** `ordinals` are 0-based data record numbers; returns ordinal → line. */
export function recordStartLines(file: string, ordinals: number[]): Map<number, number> {
	const wanted = [...new Set(ordinals)].sort((a, b) => a - b);
	const out = new Map<number, number>();
	if (!wanted.length) return out;
	const fd = fs.openSync(file, 'r');
	const buf = Buffer.alloc(1 << 22);
	let line = 1;
	let rec = -2; // the header is record -1
	let inQuote = false;
	let atStart = true;
	let next = 0; // index into wanted
	try {
		for (;;) {
			const n = fs.readSync(fd, buf, 0, buf.length, null);
			if (n === 0) break;
			for (let i = 0; i < n; i++) {
				const b = buf[i];
				if (atStart) {
					if (b === LF) {
						line++;
						continue;
					}
					if (b === CR) continue;
					atStart = false;
					rec++;
					if (rec === wanted[next]) {
						out.set(rec, line);
						if (++next === wanted.length) return out;
					}
				}
				if (b === QUOTE) inQuote = !inQuote;
				else if (b === LF) {
					line++;
					if (!inQuote) atStart = true;
				}
			}
		}
	} finally {
		fs.closeSync(fd);
	}
	return out;
}
