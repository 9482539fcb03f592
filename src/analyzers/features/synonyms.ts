import { stem, terms, type Term } from './text-vectors.ts';

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
