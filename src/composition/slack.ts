import path from 'node:path';
import type { Config } from '../config.ts';
import type { CycleRunner } from '../cycle/run-cycle.ts';
import type { Logger } from '../logging.ts';
import type { Decisions } from '../proposals/decisions.ts';
import type { Revisions } from '../proposals/revisions.ts';
import type { PrometheusMetrics } from '../adapters/metrics/prometheus-metrics.ts';
import type { ChartImageLinks } from '../adapters/web/chart-image-links.ts';
import { createOutboxSurface } from '../adapters/slack/outbox-surface.ts';
import { createFileSlackState } from '../adapters/slack/state/file-slack-state.ts';
import { createRedisSlackState } from '../adapters/slack/state/redis-slack-state.ts';
import type { SlackStateStore } from '../adapters/slack/state/slack-state.ts';
import type { SlackSurface, SlackSurfaceDeps } from '../adapters/slack/surface.ts';
import type { ScheduleStatus } from '../adapters/slack/views/home-view.ts';
import { jobStatuses } from '../schedule/service-jobs.ts';
import type { Telemetry } from '../telemetry.ts';
import { buildAssistant } from './assistant.ts';
import type { Stores } from './stores.ts';

export interface SlackParts {
  config: Config;
  stores: Stores;
  decisions: Decisions;
  revisions?: Revisions;
  runCycle: CycleRunner;
  metrics: PrometheusMetrics;
  logger: Logger;
  /** Signs chart image links for Slack; absent without PUBLIC_URL. */
  chartImages?: ChartImageLinks;
  /** The cycles' telemetry, built on first need: the assistant's tools read it. */
  telemetry?: () => Promise<Telemetry | null>;
}

/** Where Slack's message refs and claims live: beside the proposals (Redis, or a file for the embedded store). */
export function slackStateFor(config: Config, stores: Stores): SlackStateStore {
  return stores.failFast
    ? createRedisSlackState({ redis: stores.failFast, keyPrefix: config.redis.keys.service })
    : createFileSlackState({ file: path.join(config.dataDir, 'slack-state.json') });
}

/** Bolt when Slack tokens are set (loaded only then), the outbox of Block Kit files otherwise. */
export async function buildSlack({
  config,
  stores,
  decisions,
  revisions,
  runCycle,
  metrics,
  logger,
  chartImages,
  telemetry,
}: SlackParts): Promise<SlackSurface> {
  const keyPrefix = config.redis.keys.service;
  const state = slackStateFor(config, stores);
  const deps: SlackSurfaceDeps = {
    settings: config.slack,
    outboxDir: config.outboxDir,
    store: stores.request,
    decisions,
    ...(revisions ? { revisions } : {}),
    state,
    ...(stores.redis ? { backgroundState: createRedisSlackState({ redis: stores.redis, keyPrefix }) } : {}),
    logger,
    runCycle,
    observeAck: (seconds, kind) => metrics.observeSlackAck(seconds, kind),
    outboxReminderHours: config.slack?.reminderHours ?? 48,
    ...(config.slack?.appId ? { appId: config.slack.appId } : {}),
    scheduleStatus: () => scheduleStatus(config, stores),
    ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
    ranking: config.ranking,
    ...(chartImages ? { chartImageUrl: (p) => (p.series ? chartImages.url(p.id) : undefined) } : {}),
  };
  const assistant = config.slack
    ? buildAssistant({ config, stores, telemetry: telemetry ?? (async () => null), metrics, logger })
    : undefined;
  if (assistant) deps.assistant = assistant;
  return config.slack ? (await import('../adapters/slack/slack-surface.ts')).createSlackSurface(deps) : createOutboxSurface(deps);
}

/** The App Home's schedule panel, from the shared job records (any replica can show it). */
async function scheduleStatus(config: Config, stores: Stores): Promise<ScheduleStatus> {
  const statuses = await jobStatuses(config, stores.coordination.readRecords, 3);
  return {
    nextRuns: statuses.flatMap((s) => (s.nextRun ? [{ job: s.job, at: s.nextRun }] : [])),
    lastRuns: statuses.flatMap((s) =>
      s.recent.slice(0, 1).map((r) => ({
        job: r.job,
        slot: r.slot,
        startedAt: r.startedAt,
        finishedAt: r.finishedAt,
        outcome: r.outcome,
        ...(r.error ? { error: r.error } : {}),
      })),
    ),
  };
}
