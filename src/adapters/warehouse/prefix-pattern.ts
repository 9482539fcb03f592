/**
 * The RE2 pattern behind `interactionsMatching`: any of the prefixes at the start of a word, in any
 * case. DuckDB's regexp_matches and BigQuery's REGEXP_CONTAINS both run RE2, and the in-memory
 * warehouse runs it as a JavaScript RegExp (the same syntax for this subset), so every adapter
 * selects the same messages. The pattern travels as a query parameter, never as SQL text.
 */
export function prefixPattern(prefixes: readonly string[]): string {
  const alternatives = [...new Set(prefixes.map((p) => p.toLowerCase()).filter(Boolean))].sort().map(escape);
  if (!alternatives.length) throw new RangeError('prefixPattern needs at least one non-empty prefix');
  return `(?i)\\b(?:${alternatives.join('|')})`;
}

/** Every character RE2 or JavaScript could read as syntax, escaped. */
function escape(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}
