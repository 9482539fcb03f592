import { clusterRequests } from '../features/cluster-requests.ts';
import { stableStems, themeKey } from '../features/theme-key.ts';

/**
 * What customers ask about: their messages grouped into topics by the same TF-IDF and
 * average-linkage clustering that groups feature requests (the data decides how many topics), each
 * named by its most distinctive terms. Deterministic: the same messages give the same topics, and a
 * topic's id depends on its label alone, so it survives reordering and the next cycle.
 */

export interface Topic {
  /** themeKey of the label: short SHA-1 of the sorted label stems. */
  id: string;
  /** Distinctive terms, most distinctive first, as customers spelled them. */
  label: string[];
  /** The label's words, sorted and joined by '-': a readable stable name ("annual-refund"). */
  slug: string;
  /** Indices of the input messages in this topic. */
  members: number[];
}

export function assignTopics(messages: readonly string[]): Topic[] {
  return clusterRequests(messages).map((theme) => ({
    id: themeKey(theme.label),
    label: theme.label,
    slug: slugOf(theme.label),
    members: theme.members,
  }));
}

function slugOf(label: readonly string[]): string {
  const stems = stableStems(label);
  // Name the slug by the words customers used, in the order of their sorted stems.
  const words = stems.map((s) => label.find((word) => stableStems([word])[0] === s) ?? s);
  return words.map((word) => word.replace(/[^a-z0-9]+/g, '')).filter(Boolean).join('-') || 'misc';
}
