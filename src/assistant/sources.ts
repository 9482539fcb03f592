import type { Analyzer } from '../ports/analyzer.ts';
import type { ProposalStore } from '../ports/store.ts';
import type { TelemetryWarehouse } from '../ports/warehouse.ts';

/**
 * What the assistant's tools read, and nothing they could write through: the proposal store is used
 * for get and list only, the warehouse for aggregates, the analyzers in dry-run mode (they write no
 * knowledge entries and no write-back rows). The assistant holds no Decisions: it cannot approve.
 */
export interface AssistantSources {
  store: Pick<ProposalStore, 'get' | 'list'>;
  /** null when the built-in analyzers are off; built on first use. */
  warehouse(): Promise<TelemetryWarehouse | null>;
  /** The bug analyzer (templates, trend, suspect commits), built with a threshold of one occurrence. */
  errorGroups?(): Promise<Analyzer | null>;
  /** The feature analyzer (themes of requests), built with a low threshold. */
  featureThemes?(): Promise<Analyzer | null>;
  /** A link to the proposal's Slack message or dashboard page, when one is known. */
  proposalLink?(proposalId: string): Promise<string | undefined>;
  now(): Date;
}
