/**
 * The scaffolding of the tests that load a sample folder (`one`) and then a second folder (`two`)
 * derived from it with DuckDB (text columns copied as read), to check that a load's refresh of the
 * pre-aggregates equals a full rebuild.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Db } from '../../../src/lib/server/db/connection.ts';

export interface TwoLoads {
	dir: string;
	one: string;
	two: string;
	/** where the loads write their reports */
	loadsDir: string;
	/** table `t` of the first folder, every column as text */
	src(t: string): string;
	/** writes the result of `sql` as table `t` of the second folder */
	copy(db: Db, t: string, sql: string): Promise<void>;
	dispose(): void;
}

export function twoLoadDirs(prefix: string): TwoLoads {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	const one = path.join(dir, 'one');
	const two = path.join(dir, 'two');
	fs.mkdirSync(two);
	const csv = (d: string, t: string) => `'${path.join(d, `${t}.csv`)}'`;
	return {
		dir,
		one,
		two,
		loadsDir: path.join(dir, 'loads'),
		src: (t) => `read_csv(${csv(one, t)}, all_varchar = true, header = true)`,
		copy: (db, t, sql) => db.run(`COPY (${sql}) TO ${csv(two, t)} (HEADER, DELIMITER ',')`),
		dispose: () => fs.rmSync(dir, { recursive: true, force: true })
	};
}
