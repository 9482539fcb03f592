import type { Priority, Proposal } from '../../../domain/proposal.ts';
import { PRIORITIES } from '../../../domain/proposal.ts';
import type { Logger } from '../../../logging.ts';
import type { ExecutionStep, ProposalNotifier } from '../../../ports/notifier.ts';
import { renderExecutionReply, renderProgressReply } from './execution-thread.ts';
import type { MessageSink } from './message-sink.ts';
import { renderProposalMessage } from '../views/proposal-message.ts';
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
}

const MAX_TRACKED = 5000;
const THREAD_ACTIONS = new Set([
  'execution_started',
  'implemented',
  'execution_failed',
  'rolled_back',
  'pull_request_opened',
  'pull_request_updated',
  'pull_request_failed',
  'pull_request_reopened',
  'checks_completed',
  'review_submitted',
  'review_comment',
  'merged',
]);

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
    const message = renderProposalMessage(proposal, { hasAgent: deps.hasAgent?.() === true });
    const failures: unknown[] = [];
    for (const channel of await targetChannels(proposal)) {
      try {
        const existing = known.find((r) => r.channel === channel);
        if (existing) await sink.update(existing, message);
        else await state.addMessageRef(proposal.id, await sink.post(channel, message));
      } catch (error) {
        failures.push(error);
        logger.warn({ err: error, proposalId: proposal.id, channel }, 'posting a proposal to Slack failed');
      }
    }
    if (failures.length) throw failures[0];
  }

  async function rerender(proposal: Proposal, refs: MessageRef[]): Promise<void> {
    const message = renderProposalMessage(proposal, { hasAgent: deps.hasAgent?.() === true });
    const results = await Promise.allSettled(refs.map((ref) => sink.update(ref, message)));
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
        const reply = THREAD_ACTIONS.has(change.action) ? renderExecutionReply(proposal, change.action, change.actor) : null;
        if (thread && reply) await sink.post(thread.channel, reply, { threadTs: thread.ts });
      });
    },
    async executionProgress(proposal: Proposal, step: ExecutionStep) {
      const thread = primary(await state.messageRefs(proposal.id));
      if (thread) await sink.post(thread.channel, renderProgressReply(step), { threadTs: thread.ts });
    },
  };
}
