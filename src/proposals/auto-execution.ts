import type { Config } from '../config.ts';
import { autoExecutionVerdict, autoFixQuotaKey } from '../domain/policy.ts';
import type { Proposal } from '../domain/proposal.ts';
import type { ProposalStore } from '../ports/store.ts';
import type { Decisions } from './decisions.ts';
import { errorMessage } from '../domain/errors.ts';

export interface AutoExecutionDeps {
  store: ProposalStore;
  decisions: Decisions;
  settings: Pick<Config['analysis'], 'maxAutoFixesPerDay'>;
  /** false: only proposals approved for automatic execution run; nothing pending is approved by policy (AUTO_EXECUTE off). */
  approvePending?: boolean;
}

export interface AutoExecutionOutcome {
  id: string;
  outcome: string;
}

const ACTOR = 'policy:auto-execute';
const QUOTA_MEMORY_MS = 48 * 3600 * 1000;

/**
 * Executes, without a click, what policy lets run that way: pending proposals the policy finds
 * eligible (approved here on its authority), and approved ones whose approval asked for automatic
 * execution. Each takes one unit of the day's quota first, atomically across replicas, so
 * maxAutoFixesPerDay holds however many cycles and hourly jobs run at once. `runKey` makes the
 * idempotency keys: the same run retried approves and executes nothing twice.
 */
export async function autoExecute(
  proposals: Proposal[],
  deps: AutoExecutionDeps,
  runKey: string,
  now: Date,
): Promise<AutoExecutionOutcome[]> {
  const outcomes: AutoExecutionOutcome[] = [];
  const settings = { autoExecute: true, maxAutoFixesPerDay: deps.settings.maxAutoFixesPerDay };
  for (const proposal of proposals) {
    const waiting = proposal.status === 'approved' && proposal.autoExecute === true;
    const verdict = autoExecutionVerdict(proposal, settings);
    const approvable = deps.approvePending !== false && proposal.status === 'pending' && verdict.eligible;
    if (!waiting && !approvable) continue;
    if (!(await deps.store.takeQuota(autoFixQuotaKey(now), deps.settings.maxAutoFixesPerDay, QUOTA_MEMORY_MS))) {
      outcomes.push({ id: proposal.id, outcome: 'skipped: daily auto-fix quota used up' });
      continue;
    }
    if (!waiting) {
      try {
        await deps.decisions.approve({
          id: proposal.id,
          actor: ACTOR,
          idempotencyKey: `${runKey}:${proposal.id}:approve`,
          expectedVersion: proposal.version,
          autoExecute: true,
        });
      } catch (error) {
        outcomes.push({ id: proposal.id, outcome: `not approved: ${errorMessage(error)}` });
        continue;
      }
    }
    try {
      const executed = await deps.decisions.execute({ id: proposal.id, actor: ACTOR, idempotencyKey: `${runKey}:${proposal.id}:execute` });
      outcomes.push({ id: proposal.id, outcome: executed.status });
    } catch (error) {
      outcomes.push({
        id: proposal.id,
        outcome: `approved (${waiting ? 'for automatic execution' : verdict.reason}); not executed: ${errorMessage(error)}`,
      });
    }
  }
  return outcomes;
}

/** The hourly job: every open proposal auto-execution may take, oldest first. */
export async function autoExecuteWaiting(deps: AutoExecutionDeps, runKey: string, now: Date): Promise<AutoExecutionOutcome[]> {
  const none = { items: [], total: 0 };
  const [pending, approved] = await Promise.all([
    deps.approvePending === false ? none : deps.store.list({ status: 'pending', limit: 500, offset: 0 }),
    deps.store.list({ status: 'approved', limit: 500, offset: 0 }),
  ]);
  const candidates = [...pending.items, ...approved.items]
    .filter((p) => p.status === 'pending' || p.autoExecute === true)
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const full: Proposal[] = [];
  for (const summary of candidates) {
    const proposal = await deps.store.get(summary.id);
    if (proposal) full.push(proposal);
  }
  return autoExecute(full, deps, runKey, now);
}
