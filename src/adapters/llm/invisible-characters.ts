/**
 * Characters a reader cannot see but a model (or a terminal, or Slack) acts on: they hide instructions
 * in plain sight ("ig​nore previous instructions" with a zero-width space, ASCII smuggled in Unicode
 * tag characters) or make text read differently from how it is stored (bidi overrides, "Trojan Source").
 * They are removed from untrusted text before it is shown to the model and from what the model writes.
 *
 * \p{Cf} (format characters) covers zero-width spaces and joiners, LRM/RLM, the bidi embeddings,
 * overrides and isolates (U+202A–U+202E, U+2066–U+2069), the word joiner, the BOM, the soft hyphen and
 * the tag block U+E0000–U+E007F. Variation selectors can carry hidden bytes too; Hangul fillers and
 * the combining grapheme joiner render as nothing; C0/C1 controls other than tab and newlines drive
 * terminals.
 */
const INVISIBLE =
  /[\p{Cf}\u{FE00}-\u{FE0F}\u{E0100}-\u{E01EF}\u{115F}\u{1160}\u{3164}\u{FFA0}\u{034F}\u{180B}-\u{180D}\u{0000}-\u{0008}\u{000B}\u{000C}\u{000E}-\u{001F}\u{007F}-\u{009F}]/gu;

const ANY_INVISIBLE = new RegExp(INVISIBLE.source, 'u');

/** Line and paragraph separators act as line breaks in some renderers and not in others: make them plain. */
const SEPARATORS = /[\u{2028}\u{2029}]/gu;

export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, '').replace(SEPARATORS, '\n');
}

/** True when the text holds any character stripInvisible would remove. */
export function hasInvisible(text: string): boolean {
  return ANY_INVISIBLE.test(text);
}

/** stripInvisible applied to every string (and object key) in a JSON-like value. */
export function stripInvisibleDeep<T>(value: T): T {
  return mapStrings(value, stripInvisible) as T;
}

export function mapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === 'string') return map(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[map(key)] = mapStrings(item, map);
    return out;
  }
  return value;
}
