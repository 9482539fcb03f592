import type { Deployment } from '../../domain/deployment.ts';
import type { ChangeOutcome } from '../../domain/outcome.ts';
import type { Proposal } from '../../domain/proposal.ts';
import type { ProposalStore } from '../../ports/store.ts';
import type { TelemetryWarehouse, TimeWindow } from '../../ports/warehouse.ts';

/** When a change took effect, what said so, and in words which marker it was. */
export interface ChangeMarker {
  at: number;
  marker: ChangeOutcome['marker'];
  markedBy: string;
}

/** A short sha names a commit when it has at least this many characters (git's own default abbreviation). */
const MIN_SHA = 7;

function landed(proposal: Proposal): { at: number; marker: 'merged' | 'implemented' } | null {
  const merged = proposal.history.findLast((h) => h.to === 'merged');
  if (merged) return { at: Date.parse(merged.at), marker: 'merged' };
  const implemented = proposal.history.findLast((h) => h.to === 'implemented');
  return implemented ? { at: Date.parse(implemented.at), marker: 'implemented' } : null;
}

function implementedAt(proposal: Proposal): number | null {
  const implemented = proposal.history.find((h) => h.to === 'implemented');
  return implemented ? Date.parse(implemented.at) : null;
}

function namesChange(deployment: Deployment, proposal: Proposal): boolean {
  const commit = proposal.execution?.commit?.toLowerCase();
  const deployed = deployment.commit?.toLowerCase();
  if (commit && deployed && deployed.length >= MIN_SHA && (commit.startsWith(deployed) || deployed.startsWith(commit))) return true;
  const branch = proposal.execution?.branch;
  return Boolean(branch && deployment.ref === branch);
}

function describeDeployment(d: Deployment, why: string): string {
  const where = [d.environment, d.service].filter(Boolean).join(', ');
  const what = [d.commit ? `commit ${d.commit.slice(0, 12)}` : '', d.ref ? `ref ${d.ref}` : ''].filter(Boolean).join(', ');
  return `deploy ${d.id}${where ? ` to ${where}` : ''}${what ? ` (${what})` : ''}, ${why}, reported ${d.source === 'api' ? 'to the API' : 'in the deployments table'}`;
}

/**
 * The moment a change reached users. A deploy that names the change (its commit or its branch) is
 * the best marker; for a merged change, the first deploy after the merge ships it (a deploy carries
 * everything merged before it); otherwise the merge, and without one the executor's commit (for a
 * learning proposal, when its knowledge entry was published). `environment`: only deploys to it
 * count (a staging deploy reaches no customer); deploys that name no environment count everywhere.
 */
export function changeMarker(proposal: Proposal, deployments: readonly Deployment[], environment?: string): ChangeMarker | null {
  const took = landed(proposal);
  if (!took) return null;
  // A published knowledge entry answers customers at once: no deploy ships it.
  const published = proposal.execution?.published;
  if (published && took.marker === 'implemented')
    return { ...took, markedBy: `knowledge:${published.category}:${published.key} was published` };
  const fallback: ChangeMarker = {
    ...took,
    markedBy:
      took.marker === 'merged' ? 'the merge (no deploy marker after it)' : 'the executor finished the change (no deploy marker names it)',
  };
  const start = implementedAt(proposal) ?? took.at;
  const eligible = deployments
    .filter((d) => !environment || !d.environment || d.environment === environment)
    .map((d) => ({ d, at: Date.parse(d.deployedAt) }))
    .filter(({ at }) => Number.isFinite(at) && at >= start)
    .sort((a, b) => a.at - b.at);
  const named = eligible.find(({ d }) => namesChange(d, proposal));
  if (named) return { at: named.at, marker: 'deployed', markedBy: describeDeployment(named.d, 'which names the change') };
  if (took.marker === 'merged') {
    const next = eligible.find(({ at }) => at >= took.at);
    if (next) return { at: next.at, marker: 'deployed', markedBy: describeDeployment(next.d, 'the first after the merge') };
  }
  return fallback;
}

/** Deploy markers of the window from the store (the API's) and the warehouse's table; an id in both is the API's. */
export async function knownDeployments(store: ProposalStore, warehouse: TelemetryWarehouse, window: TimeWindow): Promise<Deployment[]> {
  const [recorded, table] = await Promise.all([store.listDeployments(window), warehouse.deployments?.(window) ?? Promise.resolve([])]);
  const ids = new Set(recorded.map((d) => d.id));
  return [...recorded, ...table.filter((d) => !ids.has(d.id))];
}
