import { ConflictError, errorMessage, NotRevisable, ProposalNotFound, RevisionUnavailable, ValidationError } from '../domain/errors.ts';
import type { PatchTrial, Proposal } from '../domain/proposal.ts';
import type { NoteChanges } from '../domain/requests.ts';
import type { Logger } from '../logging.ts';
import type { CodeHost } from '../ports/code-host.ts';
import type { BranchRevision, Executor } from '../ports/executor.ts';
import type { ProposalNotifier } from '../ports/notifier.ts';
import type { ProposalStore } from '../ports/store.ts';
import type { ProposalWriter, RevisedPatch, RevisionRequest } from '../ports/writer.ts';
import { pullRequestBody, pullRequestTitle, quietMentions, type ProposalLinks } from '../pull-requests/pull-request-text.ts';
import { patchHash } from './decisions.ts';
import { notifyAll } from './notify-all.ts';

export interface RevisionDeps {
  store: ProposalStore;
  writer: ProposalWriter;
  executor?: Executor;
  notifiers: readonly ProposalNotifier[];
  /**
   * The code host, when pull requests are opened: the open one is updated (never a second) and told.
   * A function, because the root builds the code host after the surfaces that ask for revisions.
   */
  pullRequests?: () => RevisionCodeHost | undefined;
  logger: Logger;
}

export interface RevisionCodeHost {
  codeHost: CodeHost;
  links(proposal: Proposal): Promise<ProposalLinks>;
}

export interface RevisionAsk {
  id: string;
  /** Who asked, as history records actors: `slack:U…`, `github:login`, `api:…`. */
  actor: string;
  instructions: string;
  /** One per command, call or comment delivery: a replay revises nothing twice. */
  idempotencyKey: string;
}

export type RevisionResult =
  | { outcome: 'duplicate'; proposal: Proposal }
  | { outcome: 'revised'; proposal: Proposal; trial: PatchTrial }
  /** The writer gave nothing usable, or the trial failed: the patch, branch and pull request are as they were. */
  | { outcome: 'failed'; proposal: Proposal; reason: string };

const MAX_INSTRUCTIONS = 2000;
/** Review entries a revision reads, newest kept: older ones rarely still apply to the patch as it is. */
const MAX_REVIEW_COMMENTS = 30;
const REVIEW_ACTIONS = new Set(['review_comment', 'review_submitted', 'revision_requested']);

/** Why a proposal cannot be revised now, or null when it can. */
export function revisionRefusal(proposal: Proposal): string | null {
  const id = proposal.id;
  if (proposal.type === 'learning') return `Proposal ${id} publishes a knowledge entry; there is no patch to revise`;
  if (proposal.status === 'implemented') {
    if (!proposal.execution?.branch || !proposal.patch)
      return `Proposal ${id} was implemented without a patch on record (an editing agent wrote it); there is no patch to revise`;
    // The executor merged it itself (ALLOW_PRODUCTION_DEPLOY without review): the change is in the base branch already.
    const implemented = [...proposal.history].reverse().find((entry) => entry.to === 'implemented' && entry.from === 'executing');
    if (implemented?.reason?.startsWith('merged into '))
      return `Proposal ${id} was ${implemented.reason}; a change already in the base branch cannot be revised (a new proposal can change it)`;
    if (proposal.pullRequest && proposal.pullRequest.state !== 'open')
      return `The pull request of proposal ${id} is ${proposal.pullRequest.state}; only a change under review can be revised`;
    return null;
  }
  if (proposal.status === 'approved' || proposal.status === 'failed')
    return proposal.patch ? null : `Proposal ${id} has no patch to revise (it is ${proposal.status} without one)`;
  if (proposal.status === 'pending') return `Proposal ${id} is pending: approve it first, or reject it and say why`;
  if (proposal.status === 'executing') return `Proposal ${id} is executing; ask again once it is implemented or failed`;
  return `Proposal ${id} is ${proposal.status}, which is final: it can no longer be revised`;
}

/** Reviews, review comments and earlier revision requests, oldest first, without the newest entry (the request being served). */
function reviewCommentsOf(proposal: Proposal): RevisionRequest['reviewComments'] {
  return proposal.history
    .slice(0, -1)
    .filter((entry) => REVIEW_ACTIONS.has(entry.action) && entry.reason)
    .slice(-MAX_REVIEW_COMMENTS)
    .map((entry) => ({ author: entry.actor, text: entry.reason! }));
}

function clipLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * `/improve revise <id> <instructions>` on every surface (Slack, a pull-request comment, the API,
 * the CLI): the writer revises the patch from the instructions and the review comments on record,
 * the revised patch goes through the same rails and trial as any patch, and only a passing one
 * replaces the patch: on an implemented change as a new commit on its branch, pushed, with its pull
 * request updated; before execution as the proposal's patch. One history entry records the request,
 * one the result, and the notifiers (the Slack thread) hear only the result. docs/PULL_REQUESTS.md.
 */
export function createRevisions(deps: RevisionDeps) {
  const { store, logger } = deps;
  // One revision per proposal at a time in this process: two would race for the same branch head.
  const active = new Set<string>();
  const running = new Set<Promise<unknown>>();

  /** Refusals before anything is written: unknown id, bad instructions, a state with nothing to revise, no writer or executor. */
  async function check(ask: RevisionAsk): Promise<{ proposal: Proposal; instructions: string }> {
    const instructions = ask.instructions?.trim() ?? '';
    if (!instructions) throw new ValidationError('A revision needs instructions: say what to change in the patch');
    if (instructions.length > MAX_INSTRUCTIONS)
      throw new ValidationError(`Revision instructions are at most ${MAX_INSTRUCTIONS} characters`);
    const proposal = await store.get(ask.id);
    if (!proposal) throw new ProposalNotFound(ask.id);
    const refusal = revisionRefusal(proposal);
    if (refusal) throw new NotRevisable(proposal.id, refusal);
    if (!deps.writer.revise)
      throw new RevisionUnavailable('Revising needs ANTHROPIC_API_KEY: the offline template writer cannot revise a patch');
    const executor = deps.executor;
    if (proposal.status === 'implemented' ? !executor?.reviseBranch : !executor?.tryPatch)
      throw new RevisionUnavailable('No executor is configured: a revised patch could not be tried, so nothing is revised');
    return { proposal, instructions };
  }

  async function finish(
    proposal: Proposal,
    ask: RevisionAsk,
    action: 'revised' | 'revision_failed',
    reason: string,
    changes?: NoteChanges,
  ) {
    const noted = await store.note({
      id: proposal.id,
      actor: ask.actor,
      action,
      reason,
      idempotencyKey: `${ask.idempotencyKey}:${action}`,
      ...(changes ? { changes } : {}),
    });
    logger.info({ proposalId: proposal.id, action, actor: ask.actor }, 'revision finished');
    if (noted.outcome === 'applied') await notifyAll(deps.notifiers, noted.proposal, { action, actor: ask.actor }, logger);
    return noted.proposal;
  }

  /** The open pull request gets the new text and one comment; a code host that fails is said in the history, not fatal. */
  async function tellPullRequest(proposal: Proposal, ask: RevisionAsk, revised: RevisedPatch, trial: BranchRevision): Promise<string> {
    const pr = proposal.pullRequest;
    const host = deps.pullRequests?.();
    if (!host || pr?.state !== 'open') return '';
    const { codeHost, links } = host;
    try {
      await codeHost.updatePullRequest(pr.number, {
        title: pullRequestTitle(proposal),
        body: pullRequestBody(proposal, await links(proposal)),
      });
      await codeHost.comment(
        pr.number,
        [
          `Revised by improvement-loop at the request of ${quietMentions(ask.actor)}: ${quietMentions(revised.explanation)}`,
          `Tests: ${trial.summary}${trial.commit ? ` (commit \`${trial.commit.slice(0, 12)}\`)` : ''}`,
        ].join('\n\n'),
      );
      return ` Pull request #${pr.number} updated.`;
    } catch (error) {
      logger.warn({ proposalId: proposal.id, err: error }, 'the pull request could not be told of the revision');
      return ` The pull request could not be updated: ${clipLine(errorMessage(error), 300)}`;
    }
  }

  async function run(proposal: Proposal, ask: RevisionAsk, instructions: string): Promise<RevisionResult> {
    let revised: RevisedPatch;
    try {
      revised = await deps.writer.revise!({
        proposal,
        patch: proposal.patch!,
        instructions,
        reviewComments: reviewCommentsOf(proposal),
        ...(proposal.status === 'failed' && proposal.execution?.error ? { lastFailure: proposal.execution.error } : {}),
      });
    } catch (error) {
      const reason = `The patch could not be revised: ${clipLine(errorMessage(error), 500)}. Nothing was changed.`;
      return { outcome: 'failed', proposal: await finish(proposal, ask, 'revision_failed', reason), reason };
    }
    if (revised.patch === proposal.patch) {
      const reason = 'The revised patch is the same as the current one. Nothing was changed.';
      return { outcome: 'failed', proposal: await finish(proposal, ask, 'revision_failed', reason), reason };
    }
    let trial: BranchRevision;
    try {
      trial =
        proposal.status === 'implemented'
          ? await deps.executor!.reviseBranch!(proposal, revised.patch, {
              actor: ask.actor,
              explanation: revised.explanation,
              changesTests: revised.changesTests,
            })
          : await deps.executor!.tryPatch!(revised.patch, {
              changesTests: revised.changesTests,
              ...(proposal.category ? { category: proposal.category } : {}),
            });
    } catch (error) {
      logger.warn({ proposalId: proposal.id, err: error }, 'the revised patch could not be tried');
      const reason = `The revised patch could not be tried: ${clipLine(errorMessage(error), 500)}. Nothing was changed.`;
      return { outcome: 'failed', proposal: await finish(proposal, ask, 'revision_failed', reason), reason };
    }
    if (!trial.passed) {
      const reason = `The revised patch failed its trial: ${clipLine(trial.summary, 800)}. The ${
        proposal.status === 'implemented' ? 'branch and pull request are' : 'patch is'
      } as before.`;
      return { outcome: 'failed', proposal: await finish(proposal, ask, 'revision_failed', reason), reason };
    }
    const { commit, diffstat, ...tried } = trial;
    const content: NoteChanges = { patch: revised.patch, changesTests: revised.changesTests };
    let changes: NoteChanges;
    if (proposal.status === 'implemented') {
      const execution = {
        ...proposal.execution,
        ...(commit ? { commit } : {}),
        ...(diffstat ? { diffstat } : {}),
        testSummary: trial.summary,
        ...(trial.testCounts ? { testCounts: trial.testCounts } : {}),
        ...(trial.outputTail ? { outputTail: trial.outputTail } : {}),
      };
      changes = { ...content, execution };
    } else if (proposal.status === 'approved') {
      // Asked by someone who may execute, and tried like any patch: the approval carries to the
      // revised patch, and only a person's Execute runs it (the hourly auto-execution is cleared).
      changes = { ...content, preflight: tried, approvedPatchHash: patchHash(revised.patch), autoExecute: false };
    } else {
      // failed: re-approving (failed → approved) binds the approval to the revised patch.
      changes = { ...content, preflight: tried };
    }
    const next: Proposal = { ...proposal, ...changes };
    const told = proposal.status === 'implemented' ? await tellPullRequest(next, ask, revised, trial) : '';
    const reason = clipLine(
      `${revised.explanation} Trial passed: ${trial.summary}.${commit ? ` Commit ${commit.slice(0, 12)} on ${proposal.execution?.branch}.` : ''}${told}${
        proposal.status === 'failed' ? ' Approve it again to execute the revised patch.' : ''
      }`,
      2000,
    );
    return { outcome: 'revised', proposal: await finish(proposal, ask, 'revised', reason, changes), trial: tried };
  }

  /** Checks, records the request (a replayed key answers duplicate), then runs the revision through to its result. */
  async function begin(ask: RevisionAsk): Promise<{ proposal: Proposal; done: Promise<RevisionResult> }> {
    const { proposal, instructions } = await check(ask);
    // Checked and taken in one synchronous step: two requests at once cannot both pass.
    if (active.has(proposal.id)) throw new ConflictError(proposal.id, `A revision of proposal ${proposal.id} is already running`);
    active.add(proposal.id);
    try {
      const requested = await store.note({
        id: proposal.id,
        actor: ask.actor,
        action: 'revision_requested',
        reason: instructions,
        idempotencyKey: ask.idempotencyKey,
      });
      if (requested.outcome === 'duplicate') {
        active.delete(proposal.id);
        return { proposal: requested.proposal, done: Promise.resolve({ outcome: 'duplicate', proposal: requested.proposal }) };
      }
      const done = run(requested.proposal, ask, instructions).finally(() => active.delete(proposal.id));
      return { proposal: requested.proposal, done };
    } catch (error) {
      active.delete(proposal.id);
      throw error;
    }
  }

  return {
    /** The whole revision, awaited (the CLI). */
    async revise(ask: RevisionAsk): Promise<RevisionResult> {
      return (await begin(ask)).done;
    },

    /**
     * For surfaces that must answer within seconds (Slack, HTTP, a webhook): refusals are thrown at
     * once; the revision itself goes on after the answer, and its result reaches the Slack thread.
     */
    async start(ask: RevisionAsk): Promise<Proposal> {
      const { proposal, done } = await begin(ask);
      const tracked = done.catch((error: unknown) => logger.error({ err: error, proposalId: ask.id }, 'revision failed unexpectedly'));
      running.add(tracked);
      void tracked.finally(() => running.delete(tracked));
      return proposal;
    },

    /** Resolves when every revision started by start() has finished (shutdown). */
    async settled(): Promise<void> {
      await Promise.allSettled([...running]);
    },
  };
}

export type Revisions = ReturnType<typeof createRevisions>;
