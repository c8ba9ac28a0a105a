import type { Db } from '../db/connection.ts';
import type { TableName } from '../db/contract.ts';

export interface InputFile {
	/** File name as the contract names it, e.g. `orders.csv` or `ctr_daily.parquet`. */
	name: string;
	/** Where the bytes are. */
	path: string;
}

export interface IngestProgress {
	table: string;
	/** read | check | merge | rejects | done */
	phase: string;
	done: number;
	total: number;
}

export interface IngestOptions {
	actor?: string;
	/** Where `<loadId>-report.json` and `<loadId>-rejects.csv` go (default `data/loads`). */
	loadsDir?: string;
	/** Shown in `loads.source` (default: the folder, or the first file's folder). */
	source?: string;
	onProgress?: (p: IngestProgress) => void;
}

export interface TableReport {
	table: TableName;
	file: string;
	format: 'csv' | 'parquet';
	/** Rows in the file (0 when it could not be read). */
	read: number;
	/** New keys inserted. */
	loaded: number;
	/** Existing keys whose content changed (newer wins). */
	replaced: number;
	/** Rows identical to what was stored. */
	unchanged: number;
	rejected: number;
	/** Set when the whole file was rejected (unparseable, missing column): nothing of it loaded. */
	error?: string;
	/** 'line' = physical line of a CSV (header = 1); 'row' = 1-based row number of a Parquet file. */
	position: 'line' | 'row';
}

export interface Finding {
	kind: 'extra_columns' | 'unknown_file' | 'duplicate_file';
	file: string;
	detail: string;
}

export interface LoadReport {
	loadId: number;
	status: 'ok' | 'partial' | 'failed' | 'unchanged';
	source: string;
	actor: string;
	startedAt: string;
	finishedAt: string;
	tables: TableReport[];
	rejectsPath: string | null;
	reportPath: string;
	findings: Finding[];
	/** Set when the load's transaction failed: nothing was written. */
	error?: string;
}

export type AfterLoadHook = (tx: Db, report: LoadReport) => Promise<void>;

export class IngestError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'IngestError';
	}
}
