import { BigQueryWarehouseError } from './warehouse-error.ts';

/**
 * Project, dataset and table names are the only parts of the SQL that cannot be query parameters, so
 * each is checked against BigQuery's own naming rules before it is spliced in. None of the allowed
 * characters can end a backtick-quoted name or start a comment, so no configuration value can change
 * what a statement does.
 */

// Project ids: 6–30 lowercase letters, digits and hyphens, starting with a letter; older projects
// may carry a domain prefix ("example.com:project").
const PROJECT_ID = /^(?:[a-z][a-z0-9.-]{0,61}[a-z0-9]:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
// Dataset names: letters, digits and underscores, at most 1,024 of them.
const DATASET_ID = /^[A-Za-z0-9_]{1,1024}$/;
// Locations are "US", "EU" or region names such as "europe-west1"; not spliced into SQL, but checked
// so a typo fails at start rather than on the first query.
const LOCATION = /^[A-Za-z][A-Za-z0-9-]{1,63}$/;

export interface DatasetNames {
  /** Holds customer_interactions and the agent_executions write-back table. */
  interactions: string;
  /** Holds api_metrics, the optimizations write-back table and the optional deployments table. */
  metrics: string;
  /** Holds error_logs. */
  logs: string;
}

export const SEED_DATASETS: DatasetNames = { interactions: 'ai_learning', metrics: 'performance', logs: 'logs' };

/** Fully qualified, backtick-quoted table names, ready for a FROM or INSERT INTO. */
export interface WarehouseTables {
  interactions: string;
  metrics: string;
  errorLogs: string;
  agentExecutions: string;
  optimizations: string;
  /** Optional: deploy markers, beside api_metrics. */
  deployments: string;
}

export function checkProjectId(projectId: string): string {
  if (!PROJECT_ID.test(projectId)) {
    throw invalid(
      `projectId ${JSON.stringify(projectId)} is not a BigQuery project id (lowercase letters, digits and hyphens, 6–30 characters, starting with a letter)`,
    );
  }
  return projectId;
}

export function checkLocation(location: string): string {
  if (!LOCATION.test(location))
    throw invalid(`location ${JSON.stringify(location)} is not a BigQuery location such as "US", "EU" or "europe-west1"`);
  return location;
}

export function resolveTables(projectId: string, datasets: Partial<DatasetNames> = {}): WarehouseTables {
  checkProjectId(projectId);
  const names: DatasetNames = { ...SEED_DATASETS, ...definedOnly(datasets) };
  for (const [role, name] of Object.entries(names)) {
    if (!DATASET_ID.test(name)) {
      throw invalid(`datasets.${role} ${JSON.stringify(name)} is not a BigQuery dataset name (letters, digits and underscores only)`);
    }
  }
  const table = (dataset: string, name: string) => `\`${projectId}.${dataset}.${name}\``;
  return {
    interactions: table(names.interactions, 'customer_interactions'),
    metrics: table(names.metrics, 'api_metrics'),
    errorLogs: table(names.logs, 'error_logs'),
    agentExecutions: table(names.interactions, 'agent_executions'),
    optimizations: table(names.metrics, 'optimizations'),
    deployments: table(names.metrics, 'deployments'),
  };
}

function definedOnly(datasets: Partial<DatasetNames>): Partial<DatasetNames> {
  return Object.fromEntries(Object.entries(datasets).filter(([, v]) => v !== undefined));
}

function invalid(message: string): BigQueryWarehouseError {
  return new BigQueryWarehouseError('invalid_configuration', `BigQuery warehouse: ${message}`);
}
