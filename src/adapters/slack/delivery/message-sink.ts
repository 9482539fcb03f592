import type { SlackMessage } from '../views/proposal-message.ts';
import type { MessageRef } from '../state/slack-state.ts';

/**
 * Where rendered messages go: Slack's Web API, or the outbox of JSON files when Slack is off. The
 * notifier and the digest work the same against either, so the demo shows exactly what Slack would.
 */
export interface MessageSink {
  readonly kind: 'slack' | 'outbox';
  post(channel: string, message: SlackMessage, options?: { threadTs?: string }): Promise<MessageRef>;
  update(ref: MessageRef, message: SlackMessage): Promise<void>;
}
