import type { Priority, ProposalType } from '../../../domain/proposal.ts';

/** Where a proposal's message was posted: what chat.update and thread replies need. */
export interface MessageRef {
  channel: string;
  ts: string;
}

/** `/improve subscribe`: this channel gets new proposals of these types at or above this priority. */
export interface ChannelSubscription {
  channel: string;
  /** Empty: every type. */
  types: ProposalType[];
  minPriority: Priority;
}

/**
 * What the Slack surface remembers besides proposals: message refs, channel subscriptions, the
 * digest message of each day, and keys claimed once (replay and retry dedupe). One Redis and one
 * file implementation, chosen with the proposal store.
 */
export interface SlackStateStore {
  messageRefs(proposalId: string): Promise<MessageRef[]>;
  /** One message per proposal and channel: a second ref for the same channel replaces the first. */
  addMessageRef(proposalId: string, ref: MessageRef): Promise<void>;
  /** The proposal whose message this is (a reply in its thread is about it); null for any other message. */
  proposalAt(ref: MessageRef): Promise<string | null>;
  subscriptions(): Promise<ChannelSubscription[]>;
  subscribe(subscription: ChannelSubscription): Promise<void>;
  /** false when the channel had no subscription. */
  unsubscribe(channel: string): Promise<boolean>;
  digestMessage(channel: string, day: string): Promise<string | null>;
  setDigestMessage(channel: string, day: string, ts: string): Promise<void>;
  /** true the first time `key` is claimed within `ttlSeconds`; false for every later claim. */
  claimOnce(key: string, ttlSeconds: number): Promise<boolean>;
  close?(): Promise<void>;
}
