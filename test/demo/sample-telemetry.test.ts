import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbWarehouse } from '../../src/adapters/warehouse/duckdb/duckdb-warehouse.ts';
import { maskMessage } from '../../src/analyzers/errors/mask.ts';
import { ErrorTemplateMiner } from '../../src/analyzers/errors/template-miner.ts';
import { clusterRequests } from '../../src/analyzers/features/cluster-requests.ts';
import { detectFeatureRequest } from '../../src/analyzers/features/detect-request.ts';
import {
  ENDPOINT_PROFILES,
  expectedErrorCount,
  NOISE_ERROR_MAX_OCCURRENCES,
  PLANTED_ERROR_GROUPS,
  PLANTED_FEATURE_THEMES,
  PLANTED_KNOWLEDGE_GAP,
  PLANTED_REGRESSION,
  PLANTED_SLOW_ENDPOINT,
  PLANTED_WELL_ANSWERED,
  plantedInteractionCount,
  plantedOutcomeCounts,
  plantedPlanCounts,
  SAMPLE_END,
  sampleStart,
} from '../../src/demo/planted.ts';
import { generateSampleTelemetry, ensureSampleTelemetry, type SampleOptions } from '../../src/demo/sample-telemetry.ts';
import type { InteractionText, TelemetryWarehouse } from '../../src/ports/warehouse.ts';

const FILES = ['api_metrics.parquet', 'customer_interactions.parquet', 'error_logs.parquet'];
const whole = { from: sampleStart(), to: SAMPLE_END };
const DAY = 86_400_000;

async function fileHashes(dir: string): Promise<string[]> {
  return Promise.all(
    FILES.map(async (file) =>
      createHash('sha256')
        .update(await readFile(path.join(dir, file)))
        .digest('hex'),
    ),
  );
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe('the sample generator', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'sample-determinism-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('writes byte-identical files for the same seed and different ones for another seed', async () => {
    const size: SampleOptions = { interactions: 2000, metrics: 20000 };
    const first = await generateSampleTelemetry(path.join(root, 'a'), size);
    const second = await generateSampleTelemetry(path.join(root, 'b'), size);
    const other = await generateSampleTelemetry(path.join(root, 'c'), { ...size, seed: 7 });
    expect(second).toEqual(first);
    expect(await fileHashes(path.join(root, 'b'))).toEqual(await fileHashes(path.join(root, 'a')));
    const otherHashes = await fileHashes(path.join(root, 'c'));
    (await fileHashes(path.join(root, 'a'))).forEach((hash, i) => expect(otherHashes[i]).not.toBe(hash));
    expect(first).toMatchObject({
      seed: 20260131,
      days: 30,
      start: '2026-01-01T00:00:00.000Z',
      end: '2026-01-31T00:00:00.000Z',
      interactions: 2000,
      metrics: 20000,
    });
    expect(other.seed).toBe(7);
  });

  it('reuses a complete sample made with the same options and regenerates for other options', async () => {
    const dir = path.join(root, 'ensure');
    expect((await ensureSampleTelemetry(dir, { interactions: 500, metrics: 5000 })).generated).toBe(true);
    expect((await ensureSampleTelemetry(dir, { interactions: 500, metrics: 5000 })).generated).toBe(false);
    const bigger = await ensureSampleTelemetry(dir, { interactions: 600, metrics: 5000 });
    expect(bigger.generated).toBe(true);
    expect(bigger.manifest.interactions).toBe(600);
  });
});

// The planted figures must hold at any size: checked at two sizes with different ratios.
describe.each([
  { interactions: 5000, metrics: 50_000 },
  { interactions: 12_000, metrics: 30_000 },
])('the planted problems in a sample of $interactions interactions and $metrics metric rows', (size) => {
  let root: string;
  let warehouse: TelemetryWarehouse;
  let texts: InteractionText[];

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'sample-planted-'));
    await generateSampleTelemetry(path.join(root, 'sample'), size);
    warehouse = await createDuckDbWarehouse({
      telemetryDir: path.join(root, 'sample'),
      writeDir: path.join(root, 'write'),
      label: 'sample',
    });
    const all = await warehouse.interactionTexts(whole, size.interactions);
    expect(all.capped).toBe(false);
    texts = all.rows;
  });
  afterAll(async () => {
    await warehouse?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('has exactly the asked number of rows, each endpoint its share of the calls', async () => {
    const stats = await warehouse.endpointStats(whole);
    expect(stats.reduce((sum, stat) => sum + stat.calls, 0)).toBe(size.metrics);
    expect(texts).toHaveLength(size.interactions);
    for (const profile of ENDPOINT_PROFILES) {
      expect(stats.find((stat) => stat.endpoint === profile.endpoint)!.calls).toBeCloseTo(profile.share * size.metrics, -1);
    }
  });

  it('has one endpoint over the threshold: the slow export at p95 ≈ 3400 ms', async () => {
    const stats = await warehouse.endpointStats(whole);
    const slow = stats.filter((stat) => stat.p95Ms > PLANTED_SLOW_ENDPOINT.thresholdMs);
    expect(slow.map((stat) => stat.endpoint)).toEqual([PLANTED_SLOW_ENDPOINT.endpoint]);
    expect(slow[0]!.p95Ms).toBeGreaterThan(PLANTED_SLOW_ENDPOINT.p95Ms * 0.92);
    expect(slow[0]!.p95Ms).toBeLessThan(PLANTED_SLOW_ENDPOINT.p95Ms * 1.08);
    expect(slow[0]!.p50Ms).toBeCloseTo(PLANTED_SLOW_ENDPOINT.p50Ms, -2);
    expect(Math.max(...stats.filter((stat) => stat !== slow[0]).map((stat) => stat.p95Ms))).toBeLessThan(1000);
  });

  it('has the order-details regression: daily p95 ≈ 300 ms until day 20 and ≈ 900 ms from day 21', async () => {
    const series = await warehouse.endpointSeries(whole, 'day', [PLANTED_REGRESSION.endpoint]);
    expect(series).toHaveLength(30);
    const dayOf = (date: Date) => Math.round((date.getTime() - whole.from.getTime()) / DAY);
    const before = series.filter((point) => dayOf(point.bucketStart) < PLANTED_REGRESSION.dayIndex).map((point) => point.p95Ms);
    const after = series.filter((point) => dayOf(point.bucketStart) > PLANTED_REGRESSION.dayIndex).map((point) => point.p95Ms);
    expect(before).toHaveLength(20);
    expect(Math.abs(median(before) / PLANTED_REGRESSION.beforeP95Ms - 1)).toBeLessThan(0.1);
    expect(Math.abs(median(after) / PLANTED_REGRESSION.afterP95Ms - 1)).toBeLessThan(0.1);
    expect(Math.max(...before)).toBeLessThan(420);
    expect(Math.min(...after)).toBeGreaterThan(650);
    const hours = await warehouse.endpointSeries({ from: new Date('2026-01-21T06:00:00Z'), to: new Date('2026-01-21T12:00:00Z') }, 'hour', [
      PLANTED_REGRESSION.endpoint,
    ]);
    const regressed = hours.filter((point) => point.bucketStart >= PLANTED_REGRESSION.startsAt);
    expect(regressed.length).toBeGreaterThan(0);
    expect(Math.min(...regressed.map((point) => point.p95Ms))).toBeGreaterThan(
      Math.max(...hours.filter((point) => !regressed.includes(point)).map((point) => point.p95Ms)),
    );
  });

  it('has each planted error group exactly expectedErrorCount times, from its commit on, one template each', async () => {
    const errors = await warehouse.errorMessages(whole, 100_000);
    expect(errors.capped).toBe(false);
    for (const group of PLANTED_ERROR_GROUPS) {
      const rows = errors.rows.filter((row) => row.endpoint === group.endpoint && maskMessage(row.message) === group.maskedTemplate);
      expect(rows.reduce((sum, row) => sum + row.count, 0)).toBe(expectedErrorCount(group));
      expect(Math.min(...rows.map((row) => row.firstSeen.getTime()))).toBeGreaterThanOrEqual(group.startsAt.getTime());
      expect(rows.every((row) => row.stack === [`${group.errorType}: ${row.message}`, ...group.stackFrames].join('\n'))).toBe(true);
    }
    const fresh = PLANTED_ERROR_GROUPS.filter((group) => group.isNew);
    expect(fresh.map((group) => group.key)).toEqual(['csv-column-mismatch']);
    expect(fresh[0]!.startsAt.getTime()).toBeGreaterThan(SAMPLE_END.getTime() - 7 * DAY);
  });

  it('mines into the four planted templates, every other template below the bug-report threshold', async () => {
    const errors = await warehouse.errorMessages(whole, 100_000);
    const miner = new ErrorTemplateMiner();
    for (const row of errors.rows) for (let k = 0; k < row.count; k++) miner.add(row.message);
    const groups = miner.groups();
    const big = groups.filter((group) => group.count > NOISE_ERROR_MAX_OCCURRENCES).map((group) => [group.template, group.count]);
    expect(big.sort()).toEqual(PLANTED_ERROR_GROUPS.map((group) => [group.maskedTemplate, expectedErrorCount(group)]).sort());
    expect(groups.length).toBeGreaterThan(10);
  });

  it('has the feature requests of the three planted themes, detected and clustered, with their plans', async () => {
    const requests = texts.filter((row) => detectFeatureRequest(row.message).isRequest);
    const themeOf = (message: string) =>
      PLANTED_FEATURE_THEMES.find((theme) => theme.keywords.some((word) => message.toLowerCase().includes(word)));
    expect(requests.every((row) => themeOf(row.message) !== undefined)).toBe(true);
    for (const theme of PLANTED_FEATURE_THEMES) {
      const mine = requests.filter((row) => themeOf(row.message) === theme);
      expect(mine).toHaveLength(plantedInteractionCount(theme.share, size.interactions));
      const plans: Record<string, number> = {};
      for (const row of mine) {
        const plan = String(row.metadata.plan ?? row.metadata.tier);
        plans[plan] = (plans[plan] ?? 0) + 1;
        expect(typeof row.metadata.revenue).toBe('number');
      }
      expect(plans).toEqual(plantedPlanCounts(theme, size.interactions));
    }
    const themes = clusterRequests(
      requests.map((row) => ({ text: row.message, metadata: row.metadata as { plan?: string; tier?: string; revenue?: number } })),
    );
    expect(themes).toHaveLength(3);
    for (const theme of themes) {
      expect(new Set(theme.members.map((index) => themeOf(requests[index]!.message)!.key)).size).toBe(1);
    }
    const perRequest = (key: string) => {
      const theme = themes.find((candidate) => themeOf(requests[candidate.members[0]!]!.message)!.key === key)!;
      return theme.score / theme.count;
    };
    expect(perRequest('sso-saml')).toBeGreaterThan(2 * perRequest('csv-export'));
    expect(perRequest('csv-export')).toBeGreaterThan(perRequest('dark-mode'));
  });

  it('has the knowledge gap: annual-plan refund questions answered with doubt, with the planted outcomes', async () => {
    const doubtful = texts.filter((row) => PLANTED_KNOWLEDGE_GAP.uncertainPhrases.some((phrase) => row.response?.includes(phrase)));
    expect(doubtful).toHaveLength(plantedInteractionCount(PLANTED_KNOWLEDGE_GAP.share, size.interactions));
    expect(
      doubtful.every((row) => row.interactionType === PLANTED_KNOWLEDGE_GAP.interactionType && /annual|yearly/i.test(row.message)),
    ).toBe(true);
    const outcomes: Record<string, number> = {};
    for (const row of doubtful) outcomes[row.outcome!] = (outcomes[row.outcome!] ?? 0) + 1;
    expect(outcomes).toEqual(plantedOutcomeCounts(PLANTED_KNOWLEDGE_GAP, size.interactions));
    const sentiment = doubtful.reduce((sum, row) => sum + row.sentiment!, 0) / doubtful.length;
    expect(sentiment).toBeCloseTo(PLANTED_KNOWLEDGE_GAP.meanSentiment, 1);
  });

  it('has the well-answered topic: password resets, resolved, with an answer that can seed a knowledge entry', async () => {
    const answered = texts.filter((row) => row.response?.includes(PLANTED_WELL_ANSWERED.answerPhrase));
    expect(answered).toHaveLength(plantedInteractionCount(PLANTED_WELL_ANSWERED.share, size.interactions));
    expect(answered.every((row) => row.interactionType === PLANTED_WELL_ANSWERED.interactionType && /password/i.test(row.message))).toBe(
      true,
    );
    const outcomes: Record<string, number> = {};
    for (const row of answered) outcomes[row.outcome!] = (outcomes[row.outcome!] ?? 0) + 1;
    expect(outcomes).toEqual(plantedOutcomeCounts(PLANTED_WELL_ANSWERED, size.interactions));
    const stats = await warehouse.interactionStats(whole);
    const billing = stats.find((stat) => stat.interactionType === 'billing')!;
    const account = stats.find((stat) => stat.interactionType === 'account')!;
    expect((account.outcomes.resolved ?? 0) / account.interactions).toBeGreaterThan(
      (billing.outcomes.resolved ?? 0) / billing.interactions,
    );
  });

  it('follows a daily traffic curve', async () => {
    const hours = await warehouse.endpointSeries(whole, 'hour', ['GET /api/products']);
    const byHour = new Array<number>(24).fill(0);
    for (const point of hours) byHour[point.bucketStart.getUTCHours()]! += point.calls;
    expect(byHour.indexOf(Math.max(...byHour))).toBeGreaterThanOrEqual(13);
    expect(byHour.indexOf(Math.max(...byHour))).toBeLessThanOrEqual(17);
    expect(Math.max(...byHour)).toBeGreaterThan(2 * Math.min(...byHour));
  });
});
