import { PRIORITIES, PROPOSAL_TYPES, type ProposalStatus } from '../../domain/proposal.ts';
import type { ProposalStore, ProposalSummary } from '../../ports/store.ts';
import type { HistoryEntry } from '../../domain/proposal.ts';
import { approvalProbability, contributions, trainDecisionModel, type DecisionExample, type DecisionModel } from './decision-model.ts';
import { featuresOf, type RankableProposal } from './ranking-features.ts';

/** Every status a proposal can only reach by being approved first. */
const APPROVED_SINCE: readonly ProposalStatus[] = ['approved', 'executing', 'implemented', 'failed', 'rolled_back'];

/** A rejection that says "later", "duplicate" or "not now" is a weak no: the finding may be right. */
const SOFT_REJECTION = /\b(later|not now|not yet|next (week|month|quarter|sprint)|duplicate|dupe|already)\b/i;
const SOFT_WEIGHT = 0.3;

/**
 * Today's rule written as model weights, and the model's starting point: priority counts most,
 * then the finding's size. The L2 penalty pulls towards these rather than towards zero, so a short
 * history leaves the rule's order nearly as it was and only a consistent pattern of decisions
 * moves a proposal past it.
 */
export const RULE_PRIOR: ReadonlyMap<string, number> = new Map([
  ['priority', 6],
  ...PROPOSAL_TYPES.map((type) => [`magnitude|${type}`, 3] as const),
]);

export interface RankingSettings {
  /** Below this many decisions (or fewer than a fifth of them on either side) the fixed rule ranks. */
  minDecisions: number;
  /** false: use the model without checking it against the rule on the newest decisions (benchmarks only). */
  heldOutCheck?: boolean;
}

/** The default of RANKING_MIN_DECISIONS. */
export const DEFAULT_RANKING: RankingSettings = { minDecisions: 20 };

export interface RankedProposal<P extends RankableProposal = ProposalSummary> {
  proposal: P;
  /** 1-based */
  position: number;
  /** Estimated chance of approval under 'learned'; the rule's own order under 'rule'. */
  score: number;
  /** One line a person can check: what moved it up or down. */
  why: string;
}

export interface Ranking<P extends RankableProposal = ProposalSummary> {
  method: 'learned' | 'rule';
  /** Decisions the model learned from (0 under the rule). */
  decisions: number;
  /** Why this method: "learned from 42 decisions (30 approved, 12 rejected)". */
  basis: string;
  ranked: RankedProposal<P>[];
}

/** Today's fixed rule: priority first (critical first), then the finding's size, then newest first. */
export function ruleOrder<P extends RankableProposal & { createdAt?: string }>(a: P, b: P): number {
  return (
    PRIORITIES.indexOf(b.priority) - PRIORITIES.indexOf(a.priority) ||
    (b.magnitude ?? 0) - (a.magnitude ?? 0) ||
    (b.createdAt ?? '').localeCompare(a.createdAt ?? '')
  );
}

function describeEffect(feature: string, effect: number): string {
  const [name, value] = feature.includes('=') ? feature.split('=') : feature.split('|');
  const what = value !== undefined ? `${name} ${value}` : name!;
  return `${effect > 0 ? '+' : '−'}${what}`;
}

/** One past decision on a proposal, oldest first when several are given. */
export interface Decision<P extends RankableProposal = RankableProposal> {
  proposal: P;
  approved: boolean;
  /** 1 for a plain decision; less for a rejection that only said "not now". */
  weight: number;
  decidedAt?: string;
}

/** Weighted area under the ROC curve: the chance a random approved one scores above a random rejected one. */
function auc(scores: readonly number[], decisions: readonly Decision[]): number {
  let above = 0;
  let pairs = 0;
  decisions.forEach((yes, i) => {
    if (!yes.approved) return;
    decisions.forEach((no, j) => {
      if (no.approved) return;
      const w = yes.weight * no.weight;
      pairs += w;
      above += w * (scores[i]! > scores[j]! ? 1 : scores[i] === scores[j] ? 0.5 : 0);
    });
  });
  return pairs ? above / pairs : 0.5;
}

/** The rule's order as a score (higher first), for comparing it with the model on the same decisions. */
function ruleScores<P extends RankableProposal & { createdAt?: string }>(items: readonly P[]): number[] {
  const order = items.map((p, i) => ({ p, i })).sort((a, b) => ruleOrder(a.p, b.p));
  const scores = new Array<number>(items.length);
  order.forEach(({ i }, rank) => (scores[i] = items.length - rank));
  return scores;
}

const toExamples = (decisions: readonly Decision[]): DecisionExample[] =>
  decisions.map((d) => ({ features: featuresOf(d.proposal), approved: d.approved, weight: d.weight }));

/**
 * Pure ranking: given past decisions and the pending proposals, the order and the why. The model
 * is used only once it has earned it: trained on the older three quarters of the decisions, it
 * must order the newest quarter (of the approvals and of the rejections) better, by AUC, than the fixed rule does; otherwise the rule ranks
 * and the basis says why. A team that decides by priority anyway keeps the rule's order.
 */
export function rankProposals<P extends RankableProposal & { createdAt?: string }>(
  pending: readonly P[],
  history: readonly Decision[],
  settings: RankingSettings,
): Ranking<P> {
  const decisions = [...history].sort((a, b) => (a.decidedAt ?? '').localeCompare(b.decidedAt ?? ''));
  const approved = decisions.filter((e) => e.approved).length;
  const rejected = decisions.length - approved;
  const counts = `${decisions.length} decision${decisions.length === 1 ? '' : 's'} (${approved} approved, ${rejected} rejected)`;
  const byRule = (basis: string): Ranking<P> => ({
    method: 'rule',
    decisions: 0,
    basis,
    ranked: [...pending].sort(ruleOrder).map((proposal, i) => ({
      proposal,
      position: i + 1,
      score: pending.length - i,
      why: `priority ${proposal.priority}${proposal.magnitude !== undefined ? `, size ${Math.round(proposal.magnitude)}` : ''}`,
    })),
  });
  const perSide = Math.ceil(settings.minDecisions / 5);
  if (decisions.length < settings.minDecisions || Math.min(approved, rejected) < perSide) {
    return byRule(
      `fixed rule (priority, then size, then newest): ${counts} so far, the model needs ${settings.minDecisions} with at least ${perSide} on each side`,
    );
  }
  // The newest quarter of the approvals and of the rejections, so the check always sees both.
  const newestQuarter = (side: Decision[]) => side.slice(Math.floor(side.length * 0.75));
  const held = new Set([...newestQuarter(decisions.filter((d) => d.approved)), ...newestQuarter(decisions.filter((d) => !d.approved))]);
  const [older, newest] = [decisions.filter((d) => !held.has(d)), decisions.filter((d) => held.has(d))];
  const trial = trainDecisionModel(toExamples(older), { prior: RULE_PRIOR });
  const modelAuc = auc(
    newest.map((d) => approvalProbability(trial, featuresOf(d.proposal))),
    newest,
  );
  const ruleAuc = auc(ruleScores(newest.map((d) => d.proposal)), newest);
  const check = `on the newest ${newest.length} decisions the model's AUC is ${modelAuc.toFixed(2)} against the rule's ${ruleAuc.toFixed(2)}`;
  if (settings.heldOutCheck !== false && modelAuc <= ruleAuc) return byRule(`fixed rule (priority, then size, then newest): ${check}`);
  const model: DecisionModel = trainDecisionModel(toExamples(decisions), { prior: RULE_PRIOR });
  const scored = pending.map((proposal) => {
    const features = featuresOf(proposal);
    const score = approvalProbability(model, features);
    const effects = contributions(model, features).map((c) => describeEffect(c.feature, c.effect));
    return { proposal, score, why: `${Math.round(score * 100)}% likely approved${effects.length ? `: ${effects.join(', ')}` : ''}` };
  });
  scored.sort((a, b) => b.score - a.score || ruleOrder(a.proposal, b.proposal));
  return {
    method: 'learned',
    decisions: decisions.length,
    basis: `learned from ${counts}; ${check}`,
    ranked: scored.map((s, i) => ({ ...s, position: i + 1 })),
  };
}

async function listAll(store: ProposalStore, status: ProposalStatus): Promise<ProposalSummary[]> {
  const all: ProposalSummary[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await store.list({ status, limit: 500, offset });
    all.push(...page.items);
    if (page.items.length < 500 || all.length >= page.total) return all;
  }
}

/** When the proposal was decided: its approve or reject entry (the summary has no history, so its update time). */
function decidedAt(summary: ProposalSummary, to: 'approved' | 'rejected', history?: readonly HistoryEntry[]): string {
  return history?.find((entry) => entry.to === to)?.at ?? summary.updatedAt;
}

/** Every approve and reject still in the store, oldest first; a soft rejection counts less. */
export async function storedDecisions(store: ProposalStore): Promise<Decision<ProposalSummary>[]> {
  const approved = (await Promise.all(APPROVED_SINCE.map((status) => listAll(store, status)))).flat();
  const rejected = await listAll(store, 'rejected');
  const decisions: Decision<ProposalSummary>[] = approved.map((p) => ({
    proposal: p,
    approved: true,
    weight: 1,
    decidedAt: decidedAt(p, 'approved'),
  }));
  for (const summary of rejected) {
    const full = await store.get(summary.id);
    const reason = full?.history.findLast((entry) => entry.to === 'rejected')?.reason ?? '';
    decisions.push({
      proposal: summary,
      approved: false,
      weight: SOFT_REJECTION.test(reason) ? SOFT_WEIGHT : 1,
      decidedAt: decidedAt(summary, 'rejected', full?.history),
    });
  }
  return decisions;
}

/** The pending proposals in the order people are likely to approve them, with the reason for each place. */
export async function rankPending(store: ProposalStore, settings: RankingSettings): Promise<Ranking> {
  const [pending, decisions] = await Promise.all([listAll(store, 'pending'), storedDecisions(store)]);
  return rankProposals(pending, decisions, settings);
}
