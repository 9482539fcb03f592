import { stem, terms, words, type Term } from './text-vectors.ts';

// Articles, pronouns and auxiliaries only: an arbitrary line keeps its question words ("how" and
// "when" tell two questions about an oil change apart), which request clustering drops.
const LINE_STOP_WORDS = new Set(
  'a an the and or of to in on at for is are am be was were do does did i me my you your it its this that we our us can could would will please'.split(
    ' ',
  ),
);

/**
 * Words customers use for the same thing in product requests, each group folded into one term so
 * that "export to CSV", "download as a spreadsheet" and "export to Excel" are one request. The
 * groups are general product vocabulary, not any one data set's: file formats, bulk actions, sign-on,
 * colour schemes. The label still shows the word customers wrote most (cluster-requests.ts).
 */
const GROUPS: readonly (readonly string[])[] = [
  ['spreadsheet', 'csv', 'excel', 'xlsx', 'xls', 'tsv', 'sheets'],
  ['export', 'download'],
  ['bulk', 'batch', 'mass', 'multiple', 'several'],
  ['edit', 'modify'],
  ['dark', 'night'],
  ['sso', 'saml', 'sign-on', 'signon'],
  ['delete', 'remove'],
  ['integration', 'integrate', 'connector'],
  ['notification', 'notify', 'alert'],
  ['shortcut', 'hotkey', 'keybinding'],
];

const CANONICAL = new Map<string, string>(GROUPS.flatMap((group) => group.map((word) => [stem(word), stem(group[0]!)] as const)));

/** The stem of each request word, with synonyms folded into their group's first word. */
export function requestTerms(text: string): Term[] {
  return terms(text).map((term) => ({ stem: CANONICAL.get(term.stem) ?? term.stem, word: term.word }));
}

/** The terms of any line (cluster-requests --all): every word but articles, pronouns and auxiliaries. */
export function lineTerms(text: string): Term[] {
  return words(text)
    .filter((word) => !LINE_STOP_WORDS.has(word))
    .map((word) => {
      const s = stem(word);
      return { stem: CANONICAL.get(s) ?? s, word };
    });
}

/**
 * Every word of a line, stemmed and synonyms folded, stop words kept: for clustering lines (not for
 * labels), "what's my credit score" and "how can I improve my credit score" differ in their
 * function words as much as in their content words.
 */
export function lineStems(text: string): string[] {
  return words(text).map((word) => {
    const s = stem(word);
    return CANONICAL.get(s) ?? s;
  });
}
