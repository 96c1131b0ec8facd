/**
 * The one place where strings become LanceDB (DataFusion SQL) predicates. Single quotes
 * are doubled; backslash escapes are not understood inside literals (stack.md trap 5), so
 * nothing else may be done to a value. Paths with quotes, backslashes, `%`, `_`, newlines
 * and any unicode go through here unchanged in meaning.
 */

/** A SQL string literal for `value`. */
export function sqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** `column IN ('a', 'b')`; a list that can match nothing when `values` is empty. */
export function sqlIn(column: string, values: readonly string[]): string {
  if (values.length === 0) return 'false';
  return `${column} IN (${values.map(sqlString).join(', ')})`;
}

/** `column LIKE 'prefix%'` with the LIKE wildcards inside `prefix` taken literally. */
export function sqlStartsWith(column: string, prefix: string): string {
  const escaped = prefix.replace(/[\\%_]/g, (c) => `\\${c}`);
  return `${column} LIKE ${sqlString(`${escaped}%`)} ESCAPE '\\'`;
}

/** Joins predicates with AND, skipping empty ones; undefined when none remain. */
export function sqlAnd(predicates: ReadonlyArray<string | undefined>): string | undefined {
  const present = predicates.filter((p): p is string => Boolean(p));
  return present.length ? present.map((p) => `(${p})`).join(' AND ') : undefined;
}
