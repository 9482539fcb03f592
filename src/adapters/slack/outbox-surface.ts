import path from 'node:path';
import { postDigest } from './delivery/digest.ts';
import { createOutboxSink } from './delivery/outbox-sink.ts';
import { createSlackNotifier } from './delivery/proposal-notifier.ts';
import type { SlackSurface, SlackSurfaceDeps } from './surface.ts';

/**
 * Slack off: the same messages as JSON files under DATA_DIR/outbox. Kept apart from slack-surface.ts
 * so that a process without Slack settings never loads Bolt.
 */
export function createOutboxSurface(deps: SlackSurfaceDeps): SlackSurface {
  const logger = deps.logger.child({ component: 'slack' });
  const sink = createOutboxSink({ dir: deps.outboxDir });
  const notifier = createSlackNotifier({
    sink,
    state: deps.backgroundState ?? deps.state,
    channel: 'outbox',
    logger,
    hasAgent: () => deps.decisions.hasAgent(),
    ...(deps.publicUrl ? { publicUrl: deps.publicUrl } : {}),
    ...(deps.chartImageUrl ? { chartImageUrl: deps.chartImageUrl } : {}),
  });
  return {
    mode: `off (no SLACK_BOT_TOKEN; Block Kit messages go to ${path.relative(process.cwd(), deps.outboxDir) || deps.outboxDir})`,
    notifier,
    // An outbox file has no permalink: nothing in Slack to link to.
    permalink: async () => null,
    postDigest: (now) =>
      postDigest(
        {
          store: deps.store,
          sink,
          state: deps.backgroundState ?? deps.state,
          channel: 'outbox',
          reminderHours: deps.outboxReminderHours ?? 48,
          ...(deps.publicUrl ? { publicUrl: deps.publicUrl } : {}),
          ...(deps.ranking ? { ranking: deps.ranking } : {}),
        },
        now,
      ),
    start: async () => undefined,
    stop: async () => undefined,
    idle: async () => undefined,
  };
}
