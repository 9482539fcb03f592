import type { ChangeOutcome } from '../../../domain/outcome.ts';
import { renderOutcomeReply } from '../views/outcome-reply.ts';
import type { Priority, Proposal } from '../../../domain/proposal.ts';
import { PRIORITIES } from '../../../domain/proposal.ts';
import type { Logger } from '../../../logging.ts';
import type { ExecutionStep, ProposalNotifier } from '../../../ports/notifier.ts';
import {
  PULL_REQUEST_REPLIES,
  renderExecutionReply,
  renderPullRequestReply,
  renderRunInProgress,
  type ThreadRun,
} from './execution-thread.ts';
import type { MessageSink } from './message-sink.ts';
import { renderProposalMessage, type SlackMessage } from '../views/proposal-message.ts';
import type { ChannelSubscription, MessageRef, SlackStateStore } from '../state/slack-state.ts';

export interface SlackNotifierDeps {
  sink: MessageSink;
  state: SlackStateStore;
  /** SLACK_CHANNEL: every new proposal goes here (subscriptions add channels). */
  channel?: string;
  logger: Logger;
  /** Told after a proposal's messages were re-rendered (the App Home refreshes then). */
  onRendered?: (proposal: Proposal) => void;
  /** Whether the executor has an editing agent, asked at each render (see executeAvailability). */
  hasAgent?: () => boolean;
  /** PUBLIC_URL: messages link to the dashboard. */
  publicUrl?: string;
  /** A signed URL of a proposal's chart image, when it has a chart and PUBLIC_URL is set. */
  chartImageUrl?: (proposal: Proposal) => string | undefined;
}

const MAX_TRACKED = 5000;
/** Stored changes that end a run: its thread message is edited into the outcome. */
const RUN_OUTCOMES = new Set(['implemented', 'execution_failed', 'rolled_back']);
/** Steps the executor reports as it finishes; the outcome comes with the stored change instead. */
const FINAL_STAGES = new Set(['implemented', 'failed', 'rolled_back']);

/** The run a thread message follows, in this process (the process that runs an execution tells its steps). */
interface RunMessage {
  run: ThreadRun;
  ref?: MessageRef;
  /** Steps told but not yet rendered: only the last of a burst renders (the message shows them all). */
  queued: number;
}

export function subscriptionMatches(subscription: ChannelSubscription, proposal: Pick<Proposal, 'type' | 'priority'>): boolean {
  const rank = (p: Priority) => PRIORITIES.indexOf(p);
  return (
    (subscription.types.length === 0 || subscription.types.includes(proposal.type)) &&
    rank(proposal.priority) >= rank(subscription.minPriority)
  );
}

/**
 * Keeps Slack in step with the store, whichever surface changed a proposal: a new proposal is posted
 * (to SLACK_CHANNEL and each matching subscription), every later change re-renders the same messages
 * with chat.update, and execution news goes into the thread. Work for one proposal runs in order, and
 * a notification older than what was already rendered is skipped, so a message never goes back in time.
 */
export function createSlackNotifier(deps: SlackNotifierDeps): ProposalNotifier {
  const { sink, state, logger } = deps;
  const queues = new Map<string, Promise<void>>();
  const renderedVersion = new Map<string, number>();
  const runs = new Map<string, RunMessage>();
  const viewOptions = (proposal: Proposal, withImage = true) => {
    const image = withImage ? deps.chartImageUrl?.(proposal) : undefined;
    return {
      hasAgent: deps.hasAgent?.() === true,
      ...(deps.publicUrl ? { publicUrl: deps.publicUrl } : {}),
      ...(image ? { chartImageUrl: image } : {}),
    };
  };

  /**
   * Slack refuses a whole message whose image it cannot download (a PUBLIC_URL it cannot reach):
   * such a message is sent again without the image, so the proposal is never lost for a picture.
   */
  async function withImageFallback<T>(proposal: Proposal, send: (message: SlackMessage) => Promise<T>): Promise<T> {
    const withImage = renderProposalMessage(proposal, viewOptions(proposal));
    try {
      return await send(withImage);
    } catch (error) {
      if (!withImage.blocks.some((b) => b.type === 'image')) throw error;
      logger.warn({ err: error, proposalId: proposal.id }, 'Slack refused the message with its chart image; sending it without');
      return send(renderProposalMessage(proposal, viewOptions(proposal, false)));
    }
  }

  function serial(proposalId: string, work: () => Promise<void>): Promise<void> {
    const next = (queues.get(proposalId) ?? Promise.resolve()).then(work);
    const settled = next.catch(() => undefined);
    queues.set(proposalId, settled);
    void settled.then(() => queues.get(proposalId) === settled && queues.delete(proposalId));
    return next;
  }

  async function targetChannels(proposal: Proposal): Promise<string[]> {
    const channels = new Set<string>();
    if (deps.channel) channels.add(deps.channel);
    for (const subscription of await state.subscriptions()) {
      if (subscriptionMatches(subscription, proposal)) channels.add(subscription.channel);
    }
    return [...channels];
  }

  /** The message a thread hangs off: the one in SLACK_CHANNEL when there is one. */
  function primary(refs: MessageRef[]): MessageRef | undefined {
    return refs.find((r) => r.channel === deps.channel) ?? refs[0];
  }

  async function postNew(proposal: Proposal, known: MessageRef[]): Promise<void> {
    const failures: unknown[] = [];
    for (const channel of await targetChannels(proposal)) {
      try {
        const existing = known.find((r) => r.channel === channel);
        if (existing) await withImageFallback(proposal, (message) => sink.update(existing, message));
        else await state.addMessageRef(proposal.id, await withImageFallback(proposal, (message) => sink.post(channel, message)));
      } catch (error) {
        failures.push(error);
        logger.warn({ err: error, proposalId: proposal.id, channel }, 'posting a proposal to Slack failed');
      }
    }
    if (failures.length) throw failures[0];
  }

  async function rerender(proposal: Proposal, refs: MessageRef[]): Promise<void> {
    const results = await Promise.allSettled(refs.map((ref) => withImageFallback(proposal, (message) => sink.update(ref, message))));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  return {
    proposalChanged(proposal, change) {
      return serial(proposal.id, async () => {
        if ((renderedVersion.get(proposal.id) ?? 0) > proposal.version) return;
        renderedVersion.delete(proposal.id);
        renderedVersion.set(proposal.id, proposal.version);
        // Only recent proposals race; forget the oldest so the map stays small.
        if (renderedVersion.size > MAX_TRACKED) renderedVersion.delete(renderedVersion.keys().next().value as string);
        let refs = await state.messageRefs(proposal.id);
        // A proposal without a message yet (Slack was down when it was filed, or it came from an
        // import) gets one at its next change, so every decision is visible where people decide.
        if (change.action === 'created' || refs.length === 0) {
          await postNew(proposal, refs);
          refs = await state.messageRefs(proposal.id);
        } else {
          await rerender(proposal, refs);
        }
        deps.onRendered?.(proposal);
        const thread = primary(refs);
        if (!thread) return;
        if (change.action === 'execution_started') {
          const branch = proposal.execution?.branch;
          const entry: RunMessage = {
            run: { kind: 'execution', actor: change.actor, steps: [], ...(branch ? { branch } : {}) },
            queued: 0,
          };
          runs.set(proposal.id, entry);
          await showRun(entry, thread, renderRunInProgress(entry.run));
        } else if (RUN_OUTCOMES.has(change.action)) {
          const kind = change.action === 'rolled_back' ? 'rollback' : 'execution';
          const known = runs.get(proposal.id);
          const entry: RunMessage = known?.run.kind === kind ? known : { run: { kind, steps: [] }, queued: 0 };
          runs.delete(proposal.id);
          const outcome = renderExecutionReply(proposal, change.action, change.actor, entry.run.steps);
          if (outcome) await showRun(entry, thread, outcome);
        } else if (change.action in PULL_REQUEST_REPLIES) {
          // Pull-request news is news of its own, one reply each, not a step of a run.
          const reply = renderPullRequestReply(proposal, change.action);
          if (reply) await sink.post(thread.channel, reply, { threadTs: thread.ts });
        }
      });
    },
    changeOutcome(proposal: Proposal, outcome: ChangeOutcome) {
      return serial(proposal.id, async () => {
        const thread = primary(await state.messageRefs(proposal.id));
        if (thread) await sink.post(thread.channel, renderOutcomeReply(proposal, outcome), { threadTs: thread.ts });
      });
    },
    executionProgress(proposal: Proposal, step: ExecutionStep) {
      if (FINAL_STAGES.has(step.stage)) return Promise.resolve();
      let entry = runs.get(proposal.id);
      if (!entry) {
        // Steps with no run yet: a rollback (its stored change comes at its end), or a run whose start this process missed.
        entry = { run: { kind: step.stage === 'rollback' ? 'rollback' : 'execution', steps: [] }, queued: 0 };
        runs.set(proposal.id, entry);
      }
      const current = entry;
      current.queued += 1;
      return serial(proposal.id, async () => {
        current.run.steps.push(step);
        current.queued -= 1;
        if (current.queued > 0 || runs.get(proposal.id) !== current) return;
        const thread = primary(await state.messageRefs(proposal.id));
        if (thread) await showRun(current, thread, renderRunInProgress(current.run));
      });
    },
  };

  /** The run's one thread message: posted the first time, edited in place after that. */
  async function showRun(entry: RunMessage, thread: MessageRef, message: ReturnType<typeof renderRunInProgress>): Promise<void> {
    if (entry.ref) await sink.update(entry.ref, message);
    else entry.ref = await sink.post(thread.channel, message, { threadTs: thread.ts });
  }
}
