import { PRIORITIES } from '../../../domain/proposal.ts';
import type { ProposalStore, ProposalSummary } from '../../../ports/store.ts';
import { computeMetrics } from '../../../proposals/metrics.ts';
import { DEFAULT_RANKING, rankPending, type RankingSettings } from '../../../proposals/ranking/pending-ranking.ts';
import { renderDigest, type DigestData } from '../views/digest-message.ts';
import type { MessageSink } from './message-sink.ts';
import type { SlackStateStore } from '../state/slack-state.ts';

const HOUR = 3_600_000;

/** Highest priority first; within one priority, the newest first (the store's order). */
function byPriority(items: ProposalSummary[]): ProposalSummary[] {
  const rank = (p: ProposalSummary) => PRIORITIES.indexOf(p.priority);
  return items
    .map((p, i) => ({ p, i }))
    .sort((a, b) => rank(b.p) - rank(a.p) || a.i - b.i)
    .map(({ p }) => p);
}

/**
 * Gathers the day's figures from the store: what was filed, what waits, what shipped, what is
 * overdue. Pending proposals are listed in the order people are likely to approve them (a model
 * of past decisions once it has earned it, priority otherwise), and the digest says which.
 */
export async function gatherDigest(
  store: ProposalStore,
  now: Date,
  reminderHours: number,
  rankingSettings: RankingSettings = DEFAULT_RANKING,
): Promise<DigestData> {
  const since = now.getTime() - 24 * HOUR;
  const [recent, waiting, implemented, metrics, ranking] = await Promise.all([
    store.list({ limit: 500, offset: 0 }),
    store.list({ status: 'pending', limit: 500, offset: 0 }),
    store.list({ status: 'implemented', limit: 500, offset: 0 }),
    computeMetrics(store, 1),
    rankPending(store, rankingSettings),
  ]);
  const place = new Map(ranking.ranked.map((r) => [r.proposal.id, r.position]));
  // Pending ones by their place in the ranking; anything else (decided since it was filed) by priority after them.
  const ranked = (items: ProposalSummary[]) =>
    ranking.method === 'learned'
      ? [...byPriority(items)].sort((a, b) => (place.get(a.id) ?? Infinity) - (place.get(b.id) ?? Infinity))
      : byPriority(items);
  const after = (iso: string) => Date.parse(iso) >= since;
  const ageHours = (p: ProposalSummary) => (now.getTime() - Date.parse(p.createdAt)) / HOUR;
  const newProposals = recent.items.filter((p) => after(p.createdAt));
  // Each proposal once: one filed today is under "new" even while it waits, an overdue one only
  // under the reminder (with its age), the rest of the pending ones under "waiting".
  const listedAsNew = new Set(newProposals.map((p) => p.id));
  const overdue = waiting.items
    .filter((p) => !listedAsNew.has(p.id))
    .map((proposal) => ({ proposal, hours: ageHours(proposal) }))
    .filter((o) => o.hours >= reminderHours)
    .sort((a, b) => b.hours - a.hours);
  const listedAsOverdue = new Set(overdue.map((o) => o.proposal.id));
  return {
    day: now.toISOString().slice(0, 10),
    newProposals: ranked(newProposals),
    waiting: ranked(waiting.items.filter((p) => !listedAsNew.has(p.id) && !listedAsOverdue.has(p.id))),
    implemented: byPriority(implemented.items.filter((p) => after(p.updatedAt))),
    overdue,
    reminderHours,
    gains: metrics.performanceGains,
    ...(ranking.method === 'learned'
      ? { rankingBasis: `Pending proposals in the order people are likely to approve them (${ranking.basis}).` }
      : {}),
  };
}

/**
 * The daily digest: one message per channel and day. The first call of a day posts it; later calls
 * the same day edit it (chat.update), so a scheduler that runs it hourly adds no noise.
 */
export async function postDigest(
  deps: {
    store: ProposalStore;
    sink: MessageSink;
    state: SlackStateStore;
    channel: string;
    reminderHours: number;
    publicUrl?: string;
    ranking?: RankingSettings;
  },
  now: Date,
): Promise<void> {
  const data = await gatherDigest(deps.store, now, deps.reminderHours, deps.ranking);
  const message = renderDigest(data, deps.publicUrl ? { publicUrl: deps.publicUrl } : {});
  const ts = await deps.state.digestMessage(deps.channel, data.day);
  if (ts) {
    await deps.sink.update({ channel: deps.channel, ts }, message);
    return;
  }
  const ref = await deps.sink.post(deps.channel, message);
  await deps.state.setDigestMessage(deps.channel, data.day, ref.ts);
}
