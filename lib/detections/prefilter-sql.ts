// Pieces of the rules' SQL prefilters written from the same constants as their matches(), so a
// prefilter narrows exactly where the predicate does and stays a superset of it.

/** A constant as an SQL string literal. */
export function sqlLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** `column` starts with one of `prefixes` (case-sensitive, as String.startsWith; no LIKE wildcards). */
export function startsWithAnySql(column: string, prefixes: readonly string[]): string {
  return `(${prefixes.map((prefix) => `starts_with(${column}, ${sqlLiteral(prefix)})`).join(' OR ')})`;
}
