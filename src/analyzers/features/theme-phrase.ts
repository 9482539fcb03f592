import { stem } from './text-vectors.ts';

/**
 * A theme's or topic's name as a person would say it ("dark mode", "SAML SSO", "talk to a human"):
 * the most representative phrase its members really wrote, not a list of sorted stems. Candidates
 * are the word n-grams of the members' texts (never across punctuation or a number, so "order 36943"
 * splits there) that start and end with a content word, stop words kept in order inside; each is
 * counted once per text, weighted by how many messages carried the text, with inflections joined by
 * their stems ("export"/"exporting"). A phrase used by at least a third as many texts as the most
 * used one qualifies; among those the one with the best √(share) × (1 + ln content words, at most
 * three) wins, so "dark mode" beats "dark" and a wording one customer used does not beat what most wrote.
 * Deterministic (ties: more texts, fewer words, alphabetical) and never empty (`fallback`).
 */

export interface PhraseSource {
  text: string;
  /** How many messages carried this text. */
  weight: number;
}

const MAX_WORDS = 6;
/** Content words a phrase is credited for: past three, a phrase is a sentence, not a name. */
const MAX_CREDITED = 3;
const MIN_SHARE_OF_TOP = 1 / 3;

// Sentence and clause punctuation ends a phrase; so do brackets and quotes.
const BREAKS = /[.?!;:,()[\]{}"“”«»…|/\\]+|\s[-–—]+\s/;
const TOKEN = /[A-Za-z0-9][A-Za-z0-9'’+#-]*[A-Za-z0-9+#]|[A-Za-z0-9]/g;
/**
 * Words said around a subject, not about it (`Can I talk…`, `Please add…`, `… for me`): function
 * words and the frame every request and question shares. A phrase may hold them inside ("talk to a
 * human"), never at its ends. Unlike the clustering's stop words, nouns such as "plan" stay content.
 */
const FRAME_WORDS = new Set(
  `a about above after again against all also am an and any anyone are as at be because been before being below between
  both but by can can't cannot could did didn't do does doesn't doing don't down during each even ever every few for from
  further get gets getting got had has have having he her here hers him his how i i'd i'll i'm i've if in instead into is
  isn't it it's its just know let me more most my no nor not now of off on once only or other our ours out over own same
  she should so some someone something still such than that the their them then there these they thing things this those
  through to too under until up very was we we'd we're were what when where which while who whom why will with won't would
  you you'd your yours yet
  able ability add adding allow feature features hello hey hi idea it'd like love lot nice option options please possible
  really request requests see suggest suggestion support thank thanks tell want wish great awesome cool need needs good
  useful helpful sure make although though already ever else everything everyone another others say says said told
  thought much many go going gone made take took put seem seems ok okay yes normal`.split(/\s+/),
);

interface Token {
  /** As written, or lower-cased when it only starts a clause ("Dark mode please" → "dark"). */
  spelled: string;
  stem: string;
  content: boolean;
  number: boolean;
}

interface Candidate {
  key: string;
  words: number;
  content: number;
  support: number;
  spellings: Map<string, number>;
}

export function representativePhrase(sources: readonly PhraseSource[], fallback: string): string {
  // Customers repeat themselves: each distinct text is read once, with its messages' weight. A digit
  // only ever breaks a phrase, whatever its value, so texts that differ in numbers alone are one.
  const distinct = new Map<string, number>();
  for (const { text, weight } of sources) {
    const shape = text.replace(/\d+/g, '0');
    distinct.set(shape, (distinct.get(shape) ?? 0) + weight);
  }
  const candidates = new Map<string, Candidate>();
  for (const [text, weight] of distinct) {
    const seen = new Set<string>();
    for (const clause of text.split(BREAKS)) {
      const tokens = tokensOf(clause);
      for (let start = 0; start < tokens.length; start += 1) {
        if (!tokens[start]!.content) continue;
        for (let end = start; end < Math.min(tokens.length, start + MAX_WORDS); end += 1) {
          if (tokens[end]!.number) break;
          if (!tokens[end]!.content) continue;
          const span = tokens.slice(start, end + 1);
          const key = span.map((t) => t.stem).join(' ');
          const spelled = span.map((t) => t.spelled).join(' ');
          const candidate = candidates.get(key) ?? {
            key,
            words: span.length,
            content: span.filter((t) => t.content).length,
            support: 0,
            spellings: new Map<string, number>(),
          };
          if (!seen.has(key)) {
            candidate.support += weight;
            seen.add(key);
          }
          candidate.spellings.set(spelled, (candidate.spellings.get(spelled) ?? 0) + weight);
          candidates.set(key, candidate);
        }
      }
    }
  }
  const all = [...candidates.values()];
  const top = Math.max(0, ...all.map((c) => c.support));
  // Each content word adds less than the one before (1, 1.7, 2.1), so a longer wording must be
  // shared widely to beat its shorter core: "Zapier integration" (2 texts), not "… for our CRM" (1).
  const score = (c: Candidate) => Math.sqrt(c.support / top) * (1 + Math.log(Math.min(c.content, MAX_CREDITED)));
  const best = all
    .filter((c) => c.support >= top * MIN_SHARE_OF_TOP)
    .sort((a, b) => score(b) - score(a) || b.support - a.support || a.words - b.words || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))[0];
  if (!best) return fallback.trim() || 'other';
  return [...best.spellings].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))[0]![0];
}

function tokensOf(clause: string): Token[] {
  const raw = clause.match(TOKEN) ?? [];
  return raw.map((word, i) => {
    const lower = word.toLowerCase().replace(/’/g, "'");
    const bare = lower.replace(/'s$/, '');
    const number = /\d/.test(word);
    // An acronym (CSV, SSO) or a name inside a clause (Okta) keeps its capitals; a clause's first
    // word is capitalized by grammar, not by meaning.
    const spelled = i === 0 && !/^[A-Z0-9]{2,}$/.test(word) ? lower : word;
    // The noun of a numeric id ("order 36943", "#4411") names a record, not the subject.
    const namesId = /^#?\d+$/.test(raw[i + 1] ?? '');
    return { spelled, stem: stem(bare), number, content: !number && !namesId && !FRAME_WORDS.has(bare) };
  });
}
