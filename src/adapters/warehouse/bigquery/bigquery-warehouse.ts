import { BigQuery, type BigQueryOptions } from '@google-cloud/bigquery';
import type { TelemetryWarehouse } from '../../../ports/warehouse.ts';
import { checkLocation, checkProjectId, resolveTables, type DatasetNames } from './identifiers.ts';
import { createJobRunner, type JobRequest, type ResultRow } from './job-runner.ts';
import { prefixPattern } from '../prefix-pattern.ts';
import { deploymentsSql, interactionsMatchingSql, toDeployment, toMatchedInteraction } from './outcome-queries.ts';
import { capParameter, stringArrayParameter, stringParameter, windowParameters } from './query-parameters.ts';
import {
  toEndpointStats,
  toErrorMessages,
  toInteractionText,
  toInteractionTexts,
  toInteractionTypeStats,
  toSeriesPoint,
} from './result-mappers.ts';
import { textCell } from './row-values.ts';
import { errorGroupsSql, toErrorGroup } from './error-group-query.ts';
import { bigQueryInteractionGroups } from './interaction-group-queries.ts';
import {
  PING_SQL,
  endpointSeriesSql,
  endpointStatsSql,
  errorMessagesSql,
  interactionStatsSql,
  interactionTextsSql,
  distinctMessagesSql,
  rowsWithMessagesSql,
} from './telemetry-queries.ts';
import { BigQueryWarehouseError } from './warehouse-error.ts';
import { insertExecution, insertOptimization, type Statement } from './write-back-statements.ts';

export interface BigQueryWarehouseOptions {
  projectId: string;
  /** Dataset names; the seed's ai_learning, performance and logs by default. */
  datasets?: Partial<DatasetNames>;
  /** Where the datasets live ("US", "EU", "europe-west1"); jobs run there. */
  location?: string;
  /** Another endpoint than https://bigquery.googleapis.com, e.g. a local fake in tests. */
  apiEndpoint?: string;
  /** Set on every job when given: BigQuery refuses a query that would bill more (a decimal string). */
  maximumBytesBilled?: string;
  /** BigQuery stops a job that runs longer; default 120,000 ms. */
  jobTimeoutMs?: number;
  /** A service account key object; without it (and keyFilename) Application Default Credentials. */
  credentials?: object;
  /** A service account key file; GOOGLE_APPLICATION_CREDENTIALS does the same through ADC. */
  keyFilename?: string;
  /** Retries of a request that failed transiently (5xx, 429, network); the client's default is 3. */
  maxRetries?: number;
}

const DEFAULT_JOB_TIMEOUT_MS = 120_000;
// One HTTP request (not a job) that takes longer than this has hung; the job deadline bounds the rest.
const REQUEST_TIMEOUT_MS = 60_000;

/**
 * The production TelemetryWarehouse: each method is one parameterized standard-SQL job against the
 * seed's tables, aggregation done by BigQuery, values only as named parameters.
 */
export function createBigQueryWarehouse(options: BigQueryWarehouseOptions): TelemetryWarehouse {
  const settings = checkOptions(options);
  const tables = resolveTables(settings.projectId, options.datasets);
  // `timeout` is read by @google-cloud/common's Service for every request but missing from BigQueryOptions.
  const requestTimeout = { timeout: REQUEST_TIMEOUT_MS } as object;
  const client = new BigQuery({
    ...requestTimeout,
    projectId: settings.projectId,
    ...(settings.location ? { location: settings.location } : {}),
    ...(options.apiEndpoint ? { apiEndpoint: options.apiEndpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials as BigQueryOptions['credentials'] } : {}),
    ...(options.keyFilename ? { keyFilename: options.keyFilename } : {}),
    ...(options.maxRetries !== undefined ? { maxRetries: options.maxRetries, autoRetry: options.maxRetries > 0 } : {}),
  });
  const runJob = createJobRunner(client, settings);
  let closed = false;

  function run(request: JobRequest): Promise<ResultRow[]> {
    if (closed) return Promise.reject(new BigQueryWarehouseError('closed', 'BigQuery warehouse is closed'));
    return runJob(request);
  }
  const read = (target: string, operation: string, sql: string, parameters: JobRequest['parameters']) =>
    run({ sql, parameters, operation, action: 'reading', target });
  const write = (target: string, operation: string, statement: Statement) =>
    run({ ...statement, operation, action: 'writing to', target }).then(() => undefined);

  return {
    kind: 'bigquery',

    describe() {
      const where = settings.location ? `, location ${settings.location}` : '';
      const limit = settings.maximumBytesBilled
        ? `, at most ${Number(settings.maximumBytesBilled).toLocaleString('en-US')} bytes billed per query`
        : ', no bytes-billed limit';
      return `bigquery (project ${settings.projectId}${where}; ${[tables.interactions, tables.metrics, tables.errorLogs].join(', ')}${limit})`;
    },

    async endpointStats(window) {
      const rows = await read(tables.metrics, 'endpoint_stats', endpointStatsSql(tables), windowParameters(window));
      return rows.map(toEndpointStats);
    },

    async endpointSeries(window, bucket, endpoints) {
      const parameters = [...windowParameters(window), stringArrayParameter('endpoints', endpoints)];
      const rows = await read(tables.metrics, 'endpoint_series', endpointSeriesSql(tables, bucket), parameters);
      return rows.map(toSeriesPoint);
    },

    async errorMessages(window, cap) {
      const rows = await read(tables.errorLogs, 'error_messages', errorMessagesSql(tables), [
        ...windowParameters(window),
        capParameter(cap),
      ]);
      return toErrorMessages(rows, cap);
    },

    async errorGroups(window) {
      const rows = await read(tables.errorLogs, 'error_groups', errorGroupsSql(tables), windowParameters(window));
      return rows.map(toErrorGroup);
    },

    async interactionStats(window) {
      const rows = await read(tables.interactions, 'interaction_stats', interactionStatsSql(tables), windowParameters(window));
      return toInteractionTypeStats(rows);
    },

    async interactionTexts(window, cap) {
      const rows = await read(tables.interactions, 'interaction_texts', interactionTextsSql(tables), [
        ...windowParameters(window),
        capParameter(cap),
      ]);
      return toInteractionTexts(rows, cap);
    },

    async interactionsMatching(window, prefixes) {
      if (!prefixes.length) return [];
      const parameters = [...windowParameters(window), stringParameter('pattern', prefixPattern(prefixes))];
      const rows = await read(tables.interactions, 'interactions_matching', interactionsMatchingSql(tables), parameters);
      return rows.map(toMatchedInteraction);
    },

    async deployments(window) {
      try {
        const rows = await read(tables.deployments, 'deployments', deploymentsSql(tables), windowParameters(window));
        return rows.map(toDeployment);
      } catch (error) {
        // The table is optional: a dataset without it has no deploy markers, which is no failure.
        if (error instanceof BigQueryWarehouseError && error.kind === 'not_found') return [];
        throw error;
      }
    },

    async interactionsWithMessages(window, pick) {
      const messages = await read(tables.interactions, 'interaction_messages', distinctMessagesSql(tables), windowParameters(window));
      const kept = [...new Set(pick(messages.map((row) => textCell(row, 'message'))))];
      if (kept.length === 0) return [];
      const rows = await read(tables.interactions, 'interaction_rows_with_messages', rowsWithMessagesSql(tables), [
        ...windowParameters(window),
        stringArrayParameter('messages', kept),
      ]);
      return rows.map(toInteractionText);
    },

    async interactionGroups(window, plan) {
      return bigQueryInteractionGroups(
        tables,
        (operation, sql, parameters) => read(tables.interactions, operation, sql, parameters),
        window,
        plan,
      );
    },

    async recordExecution(record) {
      return write(tables.agentExecutions, 'record_execution', insertExecution(tables, record));
    },

    async recordOptimization(record) {
      return write(tables.optimizations, 'record_optimization', insertOptimization(tables, record));
    },

    async ping() {
      await run({ sql: PING_SQL, parameters: [], operation: 'ping', action: 'pinging', target: `project ${settings.projectId}` });
    },

    async close() {
      // The client holds no connection of its own (each request is a fresh HTTPS call); closing only
      // refuses later calls, so a stopped service cannot start new billed jobs.
      closed = true;
    },
  };
}

function checkOptions(options: BigQueryWarehouseOptions) {
  const invalid = (message: string) => new BigQueryWarehouseError('invalid_configuration', `BigQuery warehouse: ${message}`);
  const { maximumBytesBilled, jobTimeoutMs = DEFAULT_JOB_TIMEOUT_MS } = options;
  if (maximumBytesBilled !== undefined && !/^[1-9]\d{0,18}$/.test(maximumBytesBilled)) {
    throw invalid(`maximumBytesBilled must be a whole number of bytes, got ${JSON.stringify(maximumBytesBilled)}`);
  }
  if (!Number.isSafeInteger(jobTimeoutMs) || jobTimeoutMs < 1) {
    throw invalid(`jobTimeoutMs must be a positive whole number of milliseconds, got ${jobTimeoutMs}`);
  }
  return {
    projectId: checkProjectId(options.projectId),
    location: options.location === undefined ? undefined : checkLocation(options.location),
    maximumBytesBilled,
    jobTimeoutMs,
  };
}
