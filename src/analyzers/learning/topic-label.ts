import { terms, type Term } from '../features/text-vectors.ts';
import { distinctTexts } from '../distinct-texts.ts';

/**
 * A topic's name: the question terms that most set its questions apart from all questions of the
 * window, by document frequency (share of the topic's questions using the term minus the share of
 * all questions; terms at least two thirds as distinctive as the best, at most three), so a word every question uses ("order") does not name a topic and a word one
 * customer typed once never does (a term needs two of the topic's questions). Besides the features'
 * stop words, connectives and fillers that carry no subject are left out, so labels read
 * "refund annual", not "coupon checkout although".
 */

const FILLER_WORDS = new Set(
  `although though yet still already even ever just now today tomorrow yesterday instead else also again any anything
  something someone everything every get gets got getting can't cannot couldn't don't doesn't didn't won't isn't
  aren't wasn't what's how's where's there's that's here's says said say tell told know think thought
  much many lot lots one two three go going gone make made take took put seems seem sure ok okay yes
  thing things stuff anyone everyone another other others normal`.split(/\s+/),
);

export interface TopicLabeler {
  /** Up to `count` terms, most distinctive first, as customers spelled them most often. */
  label(members: readonly number[], count?: number): string[];
}

/**
 * `counts`: how many questions each message stands for (default one each); `termsOf`: the message's
 * terms, when the caller has them already.
 */
export function createTopicLabeler(
  messages: readonly string[],
  counts?: readonly number[],
  termsOf: (message: string) => Term[] = terms,
): TopicLabeler {
  // Tokenized once per distinct message; frequencies still count every message.
  const { distinct, idOf } = distinctTexts(messages);
  const weights = distinct.map(() => 0);
  idOf.forEach((id, i) => (weights[id]! += counts?.[i] ?? 1));
  const questions = weights.reduce((sum, w) => sum + w, 0);
  const distinctDocuments = distinct.map((message) => termsOf(message).filter((t) => !FILLER_WORDS.has(t.word)));
  const distinctStemSets = distinctDocuments.map((document) => new Set(document.map((t) => t.stem)));
  const corpusFrequency = new Map<string, number>();
  distinctStemSets.forEach((stems, id) => {
    for (const s of stems) corpusFrequency.set(s, (corpusFrequency.get(s) ?? 0) + weights[id]!);
  });

  return {
    label(members, count = 3) {
      const frequency = new Map<string, number>();
      const spellings = new Map<string, Map<string, number>>();
      // Counted per distinct message, weighted by how many members said it: the same sums.
      const copies = new Map<number, number>();
      let asked = 0;
      for (const index of members) {
        const weight = counts?.[index] ?? 1;
        copies.set(idOf[index]!, (copies.get(idOf[index]!) ?? 0) + weight);
        asked += weight;
      }
      for (const [id, weight] of copies) {
        for (const s of distinctStemSets[id]!) frequency.set(s, (frequency.get(s) ?? 0) + weight);
        for (const term of distinctDocuments[id]!) {
          const words = spellings.get(term.stem) ?? new Map<string, number>();
          words.set(term.word, (words.get(term.word) ?? 0) + weight);
          spellings.set(term.stem, words);
        }
      }
      const lifts = [...frequency]
        .filter(([, n]) => n >= 2)
        .map(([s, n]) => [s, n / asked - corpusFrequency.get(s)! / questions] as const)
        .filter(([, lift]) => lift > 0)
        .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      // A term much less distinctive than the best belongs to one phrasing of the topic, not to it.
      const top = lifts[0]?.[1] ?? 0;
      return lifts
        .filter(([, lift]) => lift >= (2 * top) / 3)
        .slice(0, count)
        .map(([s]) => [...spellings.get(s)!].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0]);
    },
  };
}
