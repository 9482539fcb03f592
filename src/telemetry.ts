import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Config } from './config.ts';
import type { Logger } from './logging.ts';
import type { Analyzer } from './ports/analyzer.ts';
import type { RepositoryReader } from './ports/repository.ts';
import type { ProposalStore } from './ports/store.ts';
import type { TelemetryWarehouse } from './ports/warehouse.ts';
import { createGitRepositoryReader } from './adapters/git/history/git-repository-reader.ts';
import { createBigQueryWarehouse } from './adapters/warehouse/bigquery/bigquery-warehouse.ts';
import { createDuckDbWarehouse } from './adapters/warehouse/duckdb/duckdb-warehouse.ts';
import { withRedisErrors } from './adapters/warehouse/redis-errors/redis-error-source.ts';
import { createFailFastRedis } from './adapters/store/redis/client.ts';
import { createBugAnalyzer } from './analyzers/bugs/bug-analyzer.ts';
import { createCodeQualityAnalyzer } from './analyzers/code-quality/code-quality-analyzer.ts';
import { createFeatureAnalyzer } from './analyzers/features/feature-analyzer.ts';
import { createLearningAnalyzer } from './analyzers/learning/learning-analyzer.ts';
import { createPerformanceAnalyzer } from './analyzers/performance/performance-analyzer.ts';
import { createDemoRepo } from './demo/demo-repo.ts';
import { DEMO_APP_ROOT } from './demo/planted.ts';
import { ensureSampleTelemetry } from './demo/sample-telemetry.ts';

/** The analyzers this build ships, by name (the API's `analyze {type}` accepts these). */
export { BUILT_IN_ANALYZERS } from './analyzers/built-in.ts';

export interface Telemetry {
  warehouse: TelemetryWarehouse;
  repo: RepositoryReader;
  analyzers: Analyzer[];
  /** Start-banner lines. */
  modes: { warehouse: string; repository: string };
}

/**
 * Where the analyzers read from: BigQuery when BIGQUERY_PROJECT is set, else DuckDB over
 * TELEMETRY_DIR, else DuckDB over the bundled sample (generated into DATA_DIR on first use); and the
 * target repository (TARGET_REPO, else the demo repository the sample's stack traces point into).
 */
export async function buildTelemetry(config: Config, jobStore: ProposalStore, logger: Logger): Promise<Telemetry> {
  const usesSample = !config.telemetry.bigquery && !config.telemetry.dir;
  // Check the repository before opening anything that would then need closing.
  if (config.targetRepo && !existsSync(path.join(config.targetRepo, '.git')))
    throw new Error(`TARGET_REPO ${config.targetRepo} is not a git repository`);
  let warehouse = await buildWarehouse(config, logger);
  const errorRedis = config.telemetry.errorRedis;
  if (errorRedis) {
    // Fail-fast: a cycle should not wait a minute for extra errors while that Redis is down.
    const redis = createFailFastRedis(errorRedis.url, { requestTimeoutMs: config.redis.requestTimeoutMs });
    warehouse = withRedisErrors(warehouse, { redis, key: errorRedis.key, maxEntries: errorRedis.maxEntries, logger, ownsConnection: true });
  }
  const repoDir = config.repoPath;
  if (!config.targetRepo) await createDemoRepo({ dir: repoDir });
  const repo = createGitRepositoryReader(repoDir);
  const appRoots = config.telemetry.appRoots.length ? config.telemetry.appRoots : usesSample ? [DEMO_APP_ROOT] : [];
  const analyzers: Analyzer[] = [
    createPerformanceAnalyzer({ warehouse, repo, settings: { performanceThresholdMs: config.analysis.performanceThresholdMs } }),
    createBugAnalyzer({ warehouse, repo, settings: config.analysis, appRoots }),
    createLearningAnalyzer({ warehouse, knowledge: { put: (entry) => jobStore.putKnowledge(entry) }, settings: config.analysis }),
    createFeatureAnalyzer({ warehouse, settings: config.analysis }),
    createCodeQualityAnalyzer({ repo, repoDir, onNote: (note) => logger.info({ analyzer: 'code_quality' }, note) }),
  ];
  return {
    warehouse,
    repo,
    analyzers,
    modes: {
      warehouse: warehouse.describe(),
      repository: config.targetRepo ? `${repoDir} (read-only)` : `demo repository at ${repoDir} (set TARGET_REPO for yours)`,
    },
  };
}

async function buildWarehouse(config: Config, logger: Logger): Promise<TelemetryWarehouse> {
  const bigquery = config.telemetry.bigquery;
  if (bigquery) {
    return createBigQueryWarehouse({
      projectId: bigquery.projectId,
      datasets: bigquery.datasets,
      maximumBytesBilled: bigquery.maximumBytesBilled,
      jobTimeoutMs: bigquery.jobTimeoutMs,
      ...(bigquery.location ? { location: bigquery.location } : {}),
      ...(bigquery.apiEndpoint ? { apiEndpoint: bigquery.apiEndpoint } : {}),
      ...(bigquery.keyFilename ? { keyFilename: bigquery.keyFilename } : {}),
    });
  }
  if (config.telemetry.dir) {
    return createDuckDbWarehouse({ telemetryDir: config.telemetry.dir, writeDir: config.dataDir });
  }
  const sampleDir = path.join(config.dataDir, 'sample-telemetry');
  const { generated } = await ensureSampleTelemetry(sampleDir, config.telemetry.sample);
  if (generated) logger.info({ dir: sampleDir }, 'generated the bundled sample telemetry');
  return createDuckDbWarehouse({ telemetryDir: sampleDir, writeDir: config.dataDir, label: 'sample' });
}
