/**
 * Short customer messages as TF-IDF vectors: lower-cased word tokens, stop words out, a light
 * suffix stemmer so "export", "exports", "exporting" and "exported" count as one term.
 */

export type SparseVector = Map<string, number>;

// Common English function words, plus the words every feature request uses ("please add support
// for...") and that would otherwise label every theme.
const STOP_WORDS = new Set(
  `a about above after again against all am an and any are as at be because been before being below between both but by
  can could did do does doing down during each few for from further had has have having he her here hers herself him
  himself his how i i'd i'm i've if in into is it it's its itself just let me more most my myself no nor not now of off on
  once only or other our ours ourselves out over own same she should so some such than that the their theirs them
  themselves then there these they this those through to too under until up very was we we'd we're were what when where
  which while who whom why will with via would you you'd your yours yourself yourselves
  able ability add adding added allow also app feature features hello hi idea it'd like love lot nice option options
  plan plans please possible really request requests see suggest suggestion support supported thank thanks use using
  want way wish great awesome cool need needs great good useful helpful`.split(/\s+/),
);

/**
 * A light stemmer after Harman's S-stemmer (1991) with -ing/-ed and a final -e dropped, which is
 * enough to join inflections of the same word in short messages without Porter's over-reach
 * ("university" and "universe" stay apart).
 */
export function stem(word: string): string {
  let w = word;
  if (w.length > 4 && w.endsWith('ies') && !/[ae]ies$/.test(w)) w = `${w.slice(0, -3)}y`;
  else if (w.length > 3 && w.endsWith('es') && !/[aeo]es$/.test(w)) w = w.slice(0, -1);
  else if (w.length > 3 && w.endsWith('s') && !/(?:us|ss|is)$/.test(w)) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith('ing') && /[aeiouy]/.test(w.slice(0, -3))) w = undouble(w.slice(0, -3));
  else if (w.length > 4 && w.endsWith('ed') && !w.endsWith('eed') && /[aeiouy]/.test(w.slice(0, -2))) w = undouble(w.slice(0, -2));
  if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  return w;
}

// "mapping" → "mapp" → "map"; l, s and z double in base forms ("install", "pass", "buzz").
function undouble(w: string): string {
  return /([^aeiouylsz])\1$/.test(w) ? w.slice(0, -1) : w;
}

export interface Term {
  stem: string;
  /** The word as written (lower-cased), for labels. */
  word: string;
}

/** The words of a text, lower-cased, possessive 's dropped; "c++", "c#" and "v2.1" stay whole. */
export function words(text: string): string[] {
  const found =
    text
      .toLowerCase()
      .replace(/[‘’]/g, "'")
      .match(/[a-z0-9][a-z0-9'+#.-]*[a-z0-9+#]|[a-z0-9]/g) ?? [];
  return found.map((word) => word.replace(/'s$/, ''));
}

export function terms(text: string): Term[] {
  return words(text)
    .filter((word) => word.length > 1 && !STOP_WORDS.has(word) && !/^\d+$/.test(word))
    .map((word) => ({ stem: stem(word), word }));
}

/**
 * L2-normalized TF-IDF with sublinear term frequency (1 + ln tf) and smoothed idf
 * (ln((1 + N) / (1 + df)) + 1), the scikit-learn defaults, so cosine similarity is a dot product.
 * `weights` says how many messages each document stands for (distinct texts with their counts);
 * N and df count messages, so deduplicating first changes no vector.
 */
export function tfIdfVectors(documents: readonly (readonly string[])[], weights?: readonly number[]): SparseVector[] {
  const documentFrequency = new Map<string, number>();
  documents.forEach((stems, d) => {
    for (const s of new Set(stems)) documentFrequency.set(s, (documentFrequency.get(s) ?? 0) + (weights?.[d] ?? 1));
  });
  const n = weights ? weights.reduce((sum, w) => sum + w, 0) : documents.length;
  return documents.map((stems) => {
    const counts = new Map<string, number>();
    for (const s of stems) counts.set(s, (counts.get(s) ?? 0) + 1);
    const vector: SparseVector = new Map();
    let norm = 0;
    for (const [s, count] of counts) {
      const weight = (1 + Math.log(count)) * (Math.log((1 + n) / (1 + documentFrequency.get(s)!)) + 1);
      vector.set(s, weight);
      norm += weight * weight;
    }
    for (const [s, weight] of vector) vector.set(s, weight / Math.sqrt(norm));
    return vector;
  });
}

export function cosine(a: SparseVector, b: SparseVector): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let dot = 0;
  for (const [s, weight] of small) dot += weight * (large.get(s) ?? 0);
  return dot;
}
