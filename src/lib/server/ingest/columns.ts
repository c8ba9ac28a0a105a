/**
 * Per-column SQL of the contract's types: for one source column, an expression giving the typed
 * value and the ordered checks whose first match gives the reason the value is bad.
 *
 * Source values come either as VARCHAR (CSV, or text columns of Parquet) or already typed
 * (Parquet): typed sources skip the string checks, which keeps 120M-row Parquet loads fast.
 * A parsed value of a bad cell does not matter: the row is rejected.
 */
import type { ColumnSpec } from '../db/contract.ts';
import { LANGUAGES } from '../db/contract.ts';
import { literal } from '../db/connection.ts';

/** SQL type of a contract column in the database. */
export function sqlType(col: ColumnSpec): string {
	if (col.name === 'languages') return 'VARCHAR[]';
	const t = col.type;
	if (typeof t === 'object') return 'VARCHAR';
	switch (t) {
		case 'bool':
			return 'BOOLEAN';
		case 'int':
			return 'INTEGER';
		case 'money':
			return 'BIGINT';
		case 'date':
			return 'DATE';
		case 'ts':
			return 'TIMESTAMPTZ';
		default:
			return 'VARCHAR';
	}
}

export interface ColumnSql {
	/** Optional typed parse computed once per row; `value` and `reason` refer to it as `§`. */
	parse?: string;
	value: string;
	/**
	 * The checks in order, as [condition, reason]: the first condition that holds decides, and a
	 * reason of `NULL` means "fine, stop checking" (an empty optional cell).
	 */
	checks: Branch[];
}

/** [SQL condition, SQL reason expression or 'NULL']. */
export type Branch = [string, string];

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const TS_SHAPE = '[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,9})?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?';
const list = (xs: readonly string[]) => xs.map(literal).join(', ');
/**
 * `v` is not one of `xs` (NULL for a NULL `v`, like NOT IN). Not `v NOT IN (…)`: DuckDB rewrites a
 * long IN list into a MARK hash join, which makes the staging pass lose file order (rowid would no
 * longer be the record's ordinal beyond the first row group) and cost a join.
 */
const notOneOf = (v: string, xs: readonly string[]) => `NOT list_contains([${list(xs)}], ${v})`;

/** The first branch of every check: an empty cell is fine when optional (NULL reason), else bad. */
function nullCheck(col: ColumnSpec, v: string): Branch[] {
	return [[`${v} IS NULL`, col.optional ? 'NULL' : literal('required value is empty')]];
}

function intBounds(col: ColumnSpec, v: string): Branch[] {
	const min = col.min ?? INT32_MIN;
	const max = col.max ?? INT32_MAX;
	return [
		[`${v} < ${min}`, literal(col.min !== undefined ? `must be at least ${min}` : 'integer out of range')],
		[`${v} > ${max}`, literal(col.max !== undefined ? `must be at most ${max}` : 'integer out of range')]
	];
}

function moneyPositive(col: ColumnSpec, amount: string): Branch[] {
	// claimed_loss and payment amount must be > 0; every other amount ≥ 0
	const strict = col.name === 'claimed_loss' || col.name === 'amount';
	return strict ? [[`${amount} <= 0`, literal('amount must be greater than 0')]] : [[`${amount} < 0`, literal('amount must not be negative')]];
}

/** SQL for a VARCHAR source `v` (a column name; NULL = empty cell). */
export function fromText(col: ColumnSpec, v: string): ColumnSql {
	const required = nullCheck(col, v);
	const t = col.type;
	if (col.name === 'languages') {
		// the rule of parseLanguages (src/lib/pricing.ts): ';'-separated, trimmed, known, no repeats
		const codes = `list_transform(string_split(${v}, ';'), lambda x: trim(x))`;
		const unknown = `list_filter(${codes}, lambda x: ${notOneOf('x', LANGUAGES)})`;
		return {
			value: `CASE WHEN ${v} IS NULL OR trim(${v}) = '' THEN []::VARCHAR[] ELSE ${codes} END`,
			checks: [
				...required,
				[`trim(${v}) = ''`, 'NULL'],
				[`len(${unknown}) > 0`, `'unknown language ''' || ${unknown}[1] || ''' (allowed: ${LANGUAGES.join(', ')})'`],
				[`len(list_distinct(${codes})) <> len(${codes})`, literal('a language is repeated')]
			]
		};
	}
	if (typeof t === 'object') {
		return { value: v, checks: [...required, [notOneOf(v, t.enum), literal(`unknown value (allowed: ${t.enum.join(', ')})`)]] };
	}
	switch (t) {
		case 'id':
			return {
				value: v,
				// cheap guards first (string comparisons of the first byte cost next to nothing): trim()
				// removes spaces and Unicode spaces, whose first byte is 0x20 or above 0x7E, so a string
				// starting with printable ASCII other than a space is not blank; a string of at most 64
				// bytes has at most 64 characters
				checks: [
					...required,
					[`(${v} < '!' OR ${v} > '~') AND trim(${v}) = ''`, literal('id is blank')],
					[`strlen(${v}) > 64 AND length(${v}) > 64`, literal('id longer than 64 characters')]
				]
			};
		case 'text':
			return { value: v, checks: required };
		case 'bool':
			return {
				value: `CASE lower(${v}) WHEN 'true' THEN true WHEN '1' THEN true WHEN 'false' THEN false WHEN '0' THEN false END`,
				checks: [...required, [`lower(${v}) NOT IN ('true', 'false', '1', '0')`, literal('not a boolean (true/false/1/0)')]]
			};
		case 'int': {
			// DuckDB's cast also takes '1.5', '1e3', '0x10', '1_000': a value is an integer when it is the
			// cast's own spelling (cheap, nearly every row) or, failing that, matches the regex. Parsed
			// straight to INTEGER (one cast per cell); a NULL parse — not an integer, or outside INTEGER —
			// is rare, and only then the BIGINT parse tells which reason applies.
			const spelledOut = (p: string) => `(CAST(${p} AS VARCHAR) <> ${v} AND NOT regexp_full_match(${v}, '[+-]?[0-9]{1,18}'))`;
			const big = `TRY_CAST(${v} AS BIGINT)`;
			// A required column's empty cell parses to NULL too: its reason (the required branch) is told
			// inside the NULL-parse branch, one WHEN less for every row (the same first reason per row);
			// an optional column's empty cell still ends its checks first.
			const rare: Branch[] = [...(col.optional ? [] : required), [`${big} IS NULL OR ${spelledOut(big)}`, literal('not an integer')], ...intBounds(col, big)];
			return {
				parse: `TRY_CAST(${v} AS INTEGER)`,
				value: '§',
				checks: [
					...(col.optional ? required : []),
					['§ IS NULL', `CASE ${rare.map(([w, r]) => `WHEN ${w} THEN ${r}`).join(' ')} ELSE ${literal('integer out of range')} END`],
					// one character that parses is a digit, its own spelling: most clicks and add-to-carts
					// are, and skip the cast back to text (strlen reads the length only)
					[`strlen(${v}) > 1 AND ${spelledOut('§')}`, literal('not an integer')],
					// an INTEGER is inside INT32 already: only the column's own bounds are left
					...intBounds(col, '§').filter((_, i) => (i === 0 ? col.min : col.max) !== undefined)
				]
			};
		}
		case 'money':
			// DECIMAL, never a float: '227.97' is exactly 22797 fen
			return {
				parse: `TRY_CAST(${v} AS DECIMAL(18,2))`,
				value: 'CAST(§ * 100 AS BIGINT)',
				checks: [
					...required,
					[`NOT regexp_full_match(${v}, '[+-]?[0-9]{1,15}(\\.[0-9]+)?')`, literal('not an amount in yuan (e.g. 85.5)')],
					[`regexp_full_match(${v}, '.*\\.[0-9]{3,}')`, literal('more than 2 decimal places')],
					...moneyPositive(col, '§')
				]
			};
		case 'date':
			return {
				parse: `TRY_CAST(${v} AS DATE)`,
				value: '§',
				// a real day written YYYY-MM-DD is exactly the cast's own spelling of it
				checks: [...required, [`CAST(§ AS VARCHAR) IS DISTINCT FROM ${v}`, literal('not a date (YYYY-MM-DD)')]]
			};
		case 'ts':
			// Without an offset the cast reads the time in the session zone, Asia/Shanghai.
			return {
				parse: `TRY_CAST(${v} AS TIMESTAMPTZ)`,
				value: '§',
				checks: [
					...required,
					[`§ IS NULL OR NOT regexp_full_match(${v}, '${TS_SHAPE}')`, literal('not an ISO 8601 timestamp (YYYY-MM-DD HH:MM:SS[+08:00])')]
				]
			};
		case 'month':
			return { value: v, checks: [...required, [`NOT regexp_full_match(${v}, '[0-9]{4}-(0[1-9]|1[0-2])')`, literal('not a month (YYYY-MM)')]] };
	}
}

const INTEGER_TYPES = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/;

/**
 * SQL for a typed (Parquet) source of DuckDB type `srcType`. Falls back to the text path through
 * a VARCHAR cast when the stored type is not one the column can take directly.
 */
export function fromTyped(col: ColumnSpec, v: string, srcType: string): ColumnSql {
	if (srcType === 'VARCHAR') return withParse(fromText(col, 'ⓣ'), `nullif(${v}, '')`);
	const required = nullCheck(col, v);
	const t = col.type;
	if (t === 'int' && INTEGER_TYPES.test(srcType)) {
		return { value: `TRY_CAST(${v} AS INTEGER)`, checks: [...required, ...intBounds(col, v)] };
	}
	if (t === 'bool' && srcType === 'BOOLEAN') return { value: v, checks: required };
	if (t === 'date' && srcType === 'DATE') return { value: v, checks: required };
	if (t === 'ts' && /^TIMESTAMP( WITH TIME ZONE|_NS|_MS|_S)?$/.test(srcType)) {
		// a naive TIMESTAMP is Shanghai wall-clock time (the session zone)
		return { value: `CAST(${v} AS TIMESTAMPTZ)`, checks: required };
	}
	const dec = /^DECIMAL\((\d+),(\d+)\)$/.exec(srcType);
	if (t === 'money' && (INTEGER_TYPES.test(srcType) || (dec && Number(dec[2]) <= 2 && Number(dec[1]) <= 18))) {
		return { value: `CAST(${v} * 100 AS BIGINT)`, checks: [...required, ...moneyPositive(col, v)] };
	}
	return withParse(fromText(col, 'ⓣ'), `nullif(CAST(${v} AS VARCHAR), '')`);
}

/** Substitutes the placeholder text column `ⓣ` of a text-path ColumnSql with an expression. */
function withParse(sql: ColumnSql, expr: string): ColumnSql {
	const sub = (x: string) => x.replaceAll('ⓣ', `(${expr})`);
	return { parse: sql.parse && sub(sql.parse), value: sub(sql.value), checks: sql.checks.map(([w, r]) => [sub(w), sub(r)]) };
}
