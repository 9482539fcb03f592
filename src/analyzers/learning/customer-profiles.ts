import { ranked, type AnnotatedInteraction } from './topic-stats.ts';

/** What one customer tends to do, kept small: it is written to the knowledge base per customer. */
export interface CustomerProfile {
  customerId: string;
  interactions: number;
  /** Most frequent interaction type (ties alphabetical). */
  preferredInteractionType: string;
  /** Most frequent `metadata.channel`, when the platform records one. */
  preferredChannel: string | null;
  /** Up to three topics (by slug) this customer asked about most. */
  topTopics: { topic: string; interactions: number }[];
  meanSentiment: number | null;
  /**
   * Mean sentiment of the later half of the customer's scored interactions minus the earlier half:
   * a change of 0.2 or more either way is a trend. null with fewer than two scored interactions.
   */
  sentimentTrend: 'improving' | 'worsening' | 'steady' | null;
  verdicts: { good: number; bad: number; neutral: number };
  lastInteraction: string;
}

export interface ProfileOptions {
  /** Customers with fewer interactions in the window get no profile (default 3). */
  minInteractions?: number;
  /** The most active customers only (default 100), so a cycle writes a bounded number of entries. */
  maxProfiles?: number;
}

const TREND_STEP = 0.2;

export function customerProfiles(
  interactions: readonly AnnotatedInteraction[],
  topicOf: (index: number) => string | null,
  options: ProfileOptions = {},
): CustomerProfile[] {
  const byCustomer = new Map<string, number[]>();
  interactions.forEach((interaction, index) => {
    const list = byCustomer.get(interaction.customerId);
    if (list) list.push(index);
    else byCustomer.set(interaction.customerId, [index]);
  });
  return [...byCustomer]
    .filter(([, indices]) => indices.length >= (options.minInteractions ?? 3))
    .sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1))
    .slice(0, options.maxProfiles ?? 100)
    .map(([customerId, indices]) =>
      profileOf(
        customerId,
        indices.map((i) => interactions[i]!),
        indices.map(topicOf),
      ),
    );
}

function profileOf(customerId: string, own: AnnotatedInteraction[], topics: (string | null)[]): CustomerProfile {
  const chronological = [...own].sort((a, b) => a.timestamp.getTime() - b.timestamp.getTime());
  const scores = chronological.flatMap((m) => (m.sentiment === null || Number.isNaN(m.sentiment) ? [] : [m.sentiment]));
  const channels = own.flatMap((m) => (typeof m.metadata.channel === 'string' && m.metadata.channel ? [m.metadata.channel] : []));
  return {
    customerId,
    interactions: own.length,
    preferredInteractionType: ranked(own.map((m) => m.interactionType))[0]![0],
    preferredChannel: ranked(channels)[0]?.[0] ?? null,
    topTopics: ranked(topics.filter((t): t is string => t !== null))
      .slice(0, 3)
      .map(([topic, count]) => ({ topic, interactions: count })),
    meanSentiment: scores.length ? round(mean(scores)) : null,
    sentimentTrend: trendOf(scores),
    verdicts: {
      good: own.filter((m) => m.verdict === 'good').length,
      bad: own.filter((m) => m.verdict === 'bad').length,
      neutral: own.filter((m) => m.verdict === 'neutral').length,
    },
    lastInteraction: chronological[chronological.length - 1]!.timestamp.toISOString(),
  };
}

function trendOf(scores: readonly number[]): CustomerProfile['sentimentTrend'] {
  if (scores.length < 2) return null;
  const half = Math.floor(scores.length / 2);
  const change = mean(scores.slice(-half)) - mean(scores.slice(0, half));
  // The epsilon keeps a change of exactly 0.2 (0.19999… in floating point) on the side the doc promises.
  if (change >= TREND_STEP - 1e-9) return 'improving';
  if (change <= -TREND_STEP + 1e-9) return 'worsening';
  return 'steady';
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
