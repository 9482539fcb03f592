/**
 * Quotes a person reads as different: texts that differ only in numbers, ids, case, spacing or
 * final punctuation ("…about order 36943." and "…about order 30421.") are one quote, shown once.
 */
export function quoteShape(text: string): string {
  return text
    .toLowerCase()
    .replace(/[’‘]/g, "'")
    .replace(/\S*\d\S*/g, '#')
    .replace(/\s+/g, ' ')
    .replace(/[\s.!?…]+$/, '')
    .trim();
}

/** The first text of each shape, in the given order (callers order by typicality or frequency). */
export function distinctQuotes(texts: readonly string[], limit: number): string[] {
  const seen = new Set<string>();
  const quotes: string[] = [];
  for (const text of texts) {
    const shape = quoteShape(text);
    if (shape === '' || seen.has(shape)) continue;
    seen.add(shape);
    quotes.push(text.trim());
    if (quotes.length >= limit) break;
  }
  return quotes;
}
