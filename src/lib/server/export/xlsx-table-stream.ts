/**
 * Big table workbooks (one table per sheet, as `tableWorkbook` / `streamTablesBytes` in xlsx.ts:
 * optional title lines, bold header, frozen header, filter, CNY money, a totals row that is a real
 * SUM formula with its exact cached result) fed rows in chunks, in any order between sheets. Each
 * sheet's XML is compressed as it comes, on a worker thread of its own (zip.ts ThreadedEntry: the
 * caller's thread goes on producing rows meanwhile), so memory holds compressed bytes, never the rows.
 */
import { tableWorkbook, type TableSheet } from './xlsx.ts';
import { colLetter, fenNumber, formulaCell, numCell, rowXml, strCell, XlsxTemplate } from './xlsx-template.ts';
import { ThreadedEntry } from './zip.ts';

export type StreamTableSheet = Omit<TableSheet, 'rows'>;

interface SheetState {
	def: StreamTableSheet;
	entry: ThreadedEntry;
	headerRow: number;
	next: number;
	dataStyles: number[];
	totalStyles: number[];
	letters: string[];
	sums: number[];
}

export class TableXlsxWriter {
	private constructor(
		private readonly template: XlsxTemplate,
		private readonly state: SheetState[]
	) {}

	static async create(sheets: StreamTableSheet[], opts: { date?: Date } = {}): Promise<TableXlsxWriter> {
		// Probe rows: one data row and the totals row give the style of every column's cells.
		const probe = sheets.map((s) => ({ ...s, totals: true, rows: [s.columns.map((c) => (c.kind === 'text' ? 'x' : 0))] }));
		const template = await XlsxTemplate.fromWorkbook(tableWorkbook(...probe), opts);
		const state: SheetState[] = [];
		try {
			for (const [i, def] of sheets.entries()) {
				const headerRow = (def.title?.length ?? 0) + 1;
				const letters = def.columns.map((_, j) => colLetter(j + 1));
				const entry = new ThreadedEntry(template.sheets[i].entry);
				state.push({
					def,
					entry,
					headerRow,
					next: headerRow + 1,
					letters,
					dataStyles: letters.map((l) => template.style(i, `${l}${headerRow + 1}`)),
					totalStyles: letters.map((l) => template.style(i, `${l}${headerRow + 2}`)),
					sums: def.columns.map(() => 0)
				});
				await entry.push(template.sheets[i].head);
				await entry.push(template.keptRows(i, 1, headerRow));
			}
		} catch (e) {
			for (const s of state) s.entry.close();
			throw e;
		}
		return new TableXlsxWriter(template, state);
	}

	/** Appends rows (money as integer fen, text as any value) to sheet `i`. */
	async add(i: number, rows: unknown[][]): Promise<void> {
		const s = this.state[i];
		const cols = s.def.columns;
		let xml = '';
		for (const r of rows) {
			const n = s.next++;
			let cells = '';
			for (let j = 0; j < cols.length; j++) {
				const v = r[j];
				if (v === null || v === undefined) continue;
				const ref = s.letters[j] + n;
				const kind = cols[j].kind;
				if (kind === 'text') cells += strCell(ref, s.dataStyles[j], String(v));
				else {
					if (typeof v !== 'number' || !Number.isFinite(v)) throw new TypeError(`${cols[j].name}: not a number: ${String(v)}`);
					s.sums[j] += v;
					cells += numCell(ref, s.dataStyles[j], kind === 'money' ? fenNumber(v) : v);
				}
			}
			xml += rowXml(n, cells);
		}
		await s.entry.push(xml);
	}

	async finish(): Promise<Buffer> {
		const entries = [];
		for (const [i, s] of this.state.entries()) {
			const last = s.next - 1;
			const count = last - s.headerRow;
			if (s.def.totals) {
				let cells = strCell(`A${s.next}`, s.totalStyles[0], 'Total 合计');
				s.def.columns.forEach((c, j) => {
					if (j === 0 || c.kind === 'text') return;
					const L = s.letters[j];
					const cached = c.kind === 'money' ? fenNumber(s.sums[j]) : s.sums[j];
					cells += formulaCell(`${L}${s.next}`, s.totalStyles[j], count ? `SUM(${L}${s.headerRow + 1}:${L}${last})` : '0', cached);
				});
				await s.entry.push(rowXml(s.next, cells));
			}
			await s.entry.push(this.template.tail(i, `A${s.headerRow}:${s.letters.at(-1)}${last}`));
			entries.push(await s.entry.end());
		}
		return this.template.build(entries);
	}

	/** Stops the compression threads of a workbook that will not be finished. */
	close() {
		for (const s of this.state) s.entry.close();
	}
}
