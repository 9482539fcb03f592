import { terms } from '../../analyzers/features/text-vectors.ts';
import { stableStems } from '../../analyzers/features/theme-key.ts';
import type { Proposal } from '../../domain/proposal.ts';

/**
 * Which interactions belong to a learning proposal's topic or a feature proposal's theme, in windows
 * the analyzer never clustered. Topics and themes are named by their distinctive words (the
 * evidence's "distinctive words", from which a theme's fingerprint is made); a message belongs when
 * it holds at least two of those words' stems, or all of them when there are fewer (a one-word theme
 * such as "saml"). Two, because a topic's label has up to three words and one alone is shared by
 * neighbours ("export" by CSV export and PDF export), while requiring all three misses most members.
 *
 * The warehouse narrows the rows first by word prefixes (a stem is a prefix of every word it comes
 * from, except -ies → -y, hence the trimmed y), then the same stemmer as the analyzers decides here.
 */
export interface TopicMatch {
  /** The distinctive words' stems, sorted. */
  stems: string[];
  /** How many of them a message must hold. */
  minStems: number;
  /** The words as the evidence spells them, for the measure's name. */
  words: string[];
}

export const MIN_SHARED_STEMS = 2;

export function topicMatchOf(proposal: Proposal): TopicMatch | null {
  const value = proposal.evidence.find((e) => e.label === 'distinctive words')?.value;
  if (typeof value !== 'string') return null;
  const words = value
    .split(',')
    .map((w) => w.trim().toLowerCase())
    .filter(Boolean);
  const stems = stableStems(words);
  if (!stems.length) return null;
  return { stems, minStems: Math.min(MIN_SHARED_STEMS, stems.length), words };
}

/** What the warehouse filters by: a prefix of every word whose stem is one of the topic's. */
export function searchPrefixes(match: TopicMatch): string[] {
  return match.stems.map((s) => (s.length > 2 && s.endsWith('y') ? s.slice(0, -1) : s));
}

export function createTopicMatcher(match: TopicMatch): (message: string) => boolean {
  const wanted = new Set(match.stems);
  const seen = new Map<string, boolean>();
  return (message) => {
    let hit = seen.get(message);
    if (hit === undefined) {
      const found = new Set(
        terms(message)
          .map((t) => t.stem)
          .filter((s) => wanted.has(s)),
      );
      seen.set(message, (hit = found.size >= match.minStems));
    }
    return hit;
  };
}
