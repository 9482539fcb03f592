import type { Config } from '../config.ts';
import type { Logger } from '../logging.ts';
import type { PrometheusMetrics } from '../adapters/metrics/prometheus-metrics.ts';
import type { AssistantSettings } from '../adapters/slack/surface.ts';
import { dashboardProposalUrl } from '../adapters/slack/views/dashboard-links.ts';
import { createRedisTokenCounter } from '../adapters/store/redis/daily-token-counter.ts';
import { createBugAnalyzer } from '../analyzers/bugs/bug-analyzer.ts';
import { createFeatureAnalyzer } from '../analyzers/features/feature-analyzer.ts';
import type { Answerer } from '../assistant/answer.ts';
import { createOfflineAnswerer } from '../assistant/offline-answerer.ts';
import type { AssistantSources } from '../assistant/sources.ts';
import { createAssistantBudget, createMemoryTokenCounter } from '../assistant/token-budget.ts';
import type { Telemetry } from '../telemetry.ts';
import type { Stores } from './stores.ts';

export interface AssistantParts {
  config: Config;
  stores: Stores;
  /** The telemetry the cycles use, built on first need (null when the built-in analyzers are off). */
  telemetry(): Promise<Telemetry | null>;
  metrics: PrometheusMetrics;
  logger: Logger;
}

/**
 * The assistant's answerer: Claude with the read-only tools when ANTHROPIC_API_KEY is set (loaded
 * only then), the offline question shapes otherwise. Its tools read the request store and the
 * cycles' warehouse; its analyzers are its own, with thresholds of one, so a small error group or a
 * theme of two requests still shows in an answer. Budgets count in Redis when the store is Redis.
 */
export function buildAssistant({ config, stores, telemetry, metrics, logger }: AssistantParts): AssistantSettings | undefined {
  if (!config.assistant.enabled) return undefined;
  const log = logger.child({ component: 'assistant' });
  const warehouse = async () => (await telemetry())?.warehouse ?? null;
  const errorGroups = async () => {
    const built = await telemetry();
    return built
      ? createBugAnalyzer({
          warehouse: built.warehouse,
          repo: built.repo,
          settings: { minErrorsForBugReport: 1 },
          appRoots: built.appRoots,
        })
      : null;
  };
  const featureThemes = async () => {
    const built = await telemetry();
    return built ? createFeatureAnalyzer({ warehouse: built.warehouse, settings: { minFeatureRequestsForProposal: 2 } }) : null;
  };
  const counter = stores.failFast
    ? createRedisTokenCounter({ redis: stores.failFast, keyPrefix: config.redis.keys.service })
    : createMemoryTokenCounter();
  const budget = createAssistantBudget({
    perUser: config.assistant.userDailyTokens,
    perWorkspace: config.assistant.workspaceDailyTokens,
    counter,
  });

  return {
    allowed: config.assistant.allowed,
    onAnswer: (record) => metrics.observeAssistantAnswer(record),
    answerer(slackLink): Answerer {
      const sources: AssistantSources = {
        store: stores.request,
        warehouse,
        errorGroups,
        featureThemes,
        proposalLink: async (id) => dashboardProposalUrl(config.publicUrl, id) ?? slackLink(id),
        now: () => new Date(),
      };
      if (!config.llm.apiKey) return createOfflineAnswerer(sources);
      return createLazyClaudeAnswerer(config, sources, budget, log);
    },
  };
}

/** The SDK loads on the first question, like the writer's: a service without questions never imports it. */
function createLazyClaudeAnswerer(
  config: Config,
  sources: AssistantSources,
  budget: ReturnType<typeof createAssistantBudget>,
  logger: Logger,
): Answerer {
  let loaded: Promise<Answerer> | undefined;
  const load = () =>
    (loaded ??= import('../adapters/llm/anthropic/claude-answerer.ts').then(({ createClaudeAnswerer }) =>
      createClaudeAnswerer({
        apiKey: config.llm.apiKey!,
        ...(config.llm.baseURL ? { baseURL: config.llm.baseURL } : {}),
        model: config.assistant.model,
        maxRetries: config.llm.maxRetries,
        timeoutMs: Math.min(config.llm.timeoutMs, 60_000),
        maxToolRounds: config.assistant.maxToolRounds,
        sources,
        fallback: createOfflineAnswerer(sources),
        budget,
        logger,
      }),
    ));
  return { name: config.assistant.model, answer: async (question) => (await load()).answer(question) };
}
