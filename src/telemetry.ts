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
import { osvDirectory } from './analyzers/security/osv-directory.ts';
import { createSecurityAnalyzer } from './analyzers/security/security-analyzer.ts';
import { createDemoRepo } from './demo/demo-repo.ts';
import { DEMO_APP_ROOT } from './demo/planted.ts';
import { ensureSampleTelemetry } from './demo/sample-telemetry.ts';
import { unavailableAnalyzers } from './analyzers/built-in.ts';
import type { SkippedAnalyzer } from './cycle/run-cycle.ts';

/** The analyzers this build ships, by name (the API's `analyze {type}` accepts these). */
export { BUILT_IN_ANALYZERS } from './analyzers/built-in.ts';

export interface Telemetry {
  warehouse: TelemetryWarehouse;
  repo: RepositoryReader;
  analyzers: Analyzer[];
  /** Where the service's code lives in stack traces (APP_ROOTS, or the demo's root on the bundled sample). */
  appRoots: string[];
  /** Built-in analyzers left out because the telemetry they read is absent. */
  skipped: SkippedAnalyzer[];
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
  const built: Analyzer[] = [
    createPerformanceAnalyzer({ warehouse, repo, settings: { performanceThresholdMs: config.analysis.performanceThresholdMs } }),
    createBugAnalyzer({ warehouse, repo, settings: config.analysis, appRoots }),
    createLearningAnalyzer({ warehouse, knowledge: { put: (entry) => jobStore.putKnowledge(entry) }, settings: config.analysis }),
    createFeatureAnalyzer({ warehouse, settings: config.analysis }),
    createCodeQualityAnalyzer({ repo, repoDir, onNote: (note) => logger.info({ analyzer: 'code_quality' }, note) }),
    createSecurityAnalyzer({
      repo,
      ...(config.osv.dir ? { advisories: osvDirectory(config.osv.dir) } : {}),
      onNote: (note) => logger.info({ analyzer: 'security' }, note),
    }),
  ];
  const unavailable = unavailableAnalyzers(warehouse.tables);
  const analyzers = built.filter((analyzer) => !unavailable.has(analyzer.name));
  const skipped = built.flatMap((analyzer) => {
    const reason = unavailable.get(analyzer.name);
    return reason ? [{ name: analyzer.name, cycles: analyzer.cycles, reason }] : [];
  });
  return {
    warehouse,
    repo,
    analyzers,
    appRoots,
    skipped,
    modes: {
      warehouse: `${warehouse.describe()}${skipped.length ? `; ${skipped.map((a) => `${a.name} ${a.reason}`).join('; ')}` : ''}`,
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
  const { metrics, interactions } = config.telemetry.sample;
  // The files always end on SAMPLE_END (generating 1M rows takes seconds); the views move them to the day asked.
  const { manifest, generated } = await ensureSampleTelemetry(sampleDir, { metrics, interactions });
  if (generated) logger.info({ dir: sampleDir }, 'generated the bundled sample telemetry');
  const end = config.telemetry.sample.endsOn;
  return createDuckDbWarehouse({
    telemetryDir: sampleDir,
    writeDir: config.dataDir,
    label: 'sample',
    shift: { dataEnd: new Date(manifest.end), end },
  });
}
