import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../src/domain/finding.ts';
import { createPerformanceAnalyzer } from '../../../src/analyzers/performance/performance-analyzer.ts';
import { seededRandom } from '../../../src/analyzers/performance/seeded-random.ts';
import type { AnalysisContext, CycleType } from '../../../src/ports/analyzer.ts';
import { createMemoryWarehouse, type MetricRow } from '../../helpers/memory-warehouse.ts';

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;
const START = Date.UTC(2026, 0, 1);
/** A weekday morning, 30 days into the data. */
const ONSET = START + 30 * DAY + 9 * HOUR;
const SEEDS = [1, 2, 3];
const settings = { performanceThresholdMs: 2000, cacheMinP50Ms: 10_000 };

/**
 * Calls of one endpoint, hour by hour from `from` until `until`: 20 calls an hour at night to 60 in the
 * afternoon, each call's latency lognormal (sigma 0.25) around a level that is itself 50% higher in
 * busy hours, times `factor(t)`.
 */
function traffic(endpoint: string, seed: number, until: number, factor: (t: number) => number, from = START): MetricRow[] {
  const random = seededRandom(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const rows: MetricRow[] = [];
  for (let hourStart = from; hourStart < until; hourStart += HOUR) {
    const busy = (1 + Math.sin((2 * Math.PI * (new Date(hourStart).getUTCHours() - 9)) / 24)) / 2;
    const calls = Math.round(20 + 40 * busy);
    for (let c = 0; c < calls; c++) {
      const timestamp = new Date(hourStart + Math.floor(random() * HOUR));
      const level = 200 * (1 + 0.5 * busy) * factor(timestamp.getTime());
      rows.push({ endpoint, responseTimeMs: level * Math.exp(0.25 * gaussian()), errorRate: 0, timestamp });
    }
  }
  return rows;
}

function context(cycle: CycleType, asOf: number): AnalysisContext {
  const to = Math.floor(asOf / DAY) * DAY;
  return { cycle, asOf: new Date(asOf), window: { from: new Date(to - (cycle === 'daily' ? 1 : 30) * DAY), to: new Date(to) } };
}

const regressionsOf = (findings: Finding[]) => findings.filter((f) => f.fingerprint.startsWith('performance:regression:'));
const evidence = (finding: Finding, label: string) => finding.evidence.find((e) => e.label === label)?.value;

describe('hourly regression detection in the performance analyzer', () => {
  it('proposes a x2 step at the first run six hours after onset, dated to the hour, with its p-value and hours of data', async () => {
    const asOf = ONSET + 6 * HOUR;
    const metrics = SEEDS.flatMap((seed) => traffic(`GET /api/orders/${seed}`, seed, asOf, (t) => (t >= ONSET ? 2 : 1)));
    const analyzer = createPerformanceAnalyzer({ warehouse: createMemoryWarehouse({ metrics }), settings });
    for (const cycle of ['regression-watch', 'daily'] as const) {
      const found = regressionsOf(await analyzer.analyze(context(cycle, asOf)));
      expect(found.map((f) => f.fingerprint)).toEqual(SEEDS.map((seed) => `performance:regression:GET /api/orders/${seed}`));
      for (const finding of found) {
        expect(evidence(finding, 'regression began')).toBe('2026-01-31T09:00Z');
        expect(finding.title).toContain('2026-01-31 09:00 UTC');
        expect(Number(evidence(finding, 'p-value'))).toBeLessThanOrEqual(0.01);
        expect(evidence(finding, 'hours since onset')).toBe(6);
        expect(Number(evidence(finding, 'hours in baseline'))).toBeGreaterThanOrEqual(14 * 24 - 1);
        expect(Number(evidence(finding, 'p95 after')) / Number(evidence(finding, 'p95 before'))).toBeGreaterThan(1.6);
        expect(finding.details).toMatchObject({ kind: 'regression', detector: 'hourly', began: new Date(ONSET).toISOString() });
      }
    }
  });

  it('keeps the hourly p95 series behind the finding, with its onset marked, for the chart', async () => {
    const asOf = ONSET + 6 * HOUR;
    const metrics = traffic('GET /api/orders/1', 1, asOf, (t) => (t >= ONSET ? 2 : 1));
    const analyzer = createPerformanceAnalyzer({ warehouse: createMemoryWarehouse({ metrics }), settings });
    const [finding] = regressionsOf(await analyzer.analyze(context('regression-watch', asOf)));
    const series = finding!.series!;
    expect(series).toMatchObject({ kind: 'line', unit: 'ms', bucket: 'hour', mark: { at: new Date(ONSET).toISOString() } });
    expect(series.points).toHaveLength(7 * 24);
    expect(series.points.at(-1)!.at).toBe(new Date(asOf - HOUR).toISOString());
    const before = series.points.filter((p) => p.at < series.mark!.at).map((p) => p.value);
    const after = series.points.filter((p) => p.at >= series.mark!.at).map((p) => p.value);
    expect(Math.min(...after)).toBeGreaterThan(Math.max(...before) * 0.9);
    expect(after).toHaveLength(6);
  });

  it('proposes a x1.5 step within 24 hours of its onset', async () => {
    const asOf = ONSET + 24 * HOUR;
    const metrics = SEEDS.flatMap((seed) => traffic(`GET /api/search/${seed}`, seed, asOf, (t) => (t >= ONSET ? 1.5 : 1)));
    const found = regressionsOf(
      await createPerformanceAnalyzer({ warehouse: createMemoryWarehouse({ metrics }), settings }).analyze(
        context('regression-watch', asOf),
      ),
    );
    expect(found).toHaveLength(SEEDS.length);
    for (const finding of found) {
      const began = new Date(`${String(evidence(finding, 'regression began')).replace('Z', ':00Z')}`).getTime();
      expect(Math.abs(began - ONSET)).toBeLessThanOrEqual(2 * HOUR);
      expect(finding.priority).toBe('medium');
    }
  });

  it('raises nothing for a spike of two hours, a fixed regression, slow drift or day/night swings', async () => {
    const asOf = ONSET + 6 * HOUR;
    const scenarios: Record<string, (t: number) => number> = {
      'GET /api/spike': (t) => (t >= asOf - 5 * HOUR && t < asOf - 3 * HOUR ? 3 : 1),
      // Still going at the first run, over at the later ones.
      'GET /api/spike-now': (t) => (t >= asOf - 2 * HOUR && t < asOf ? 3 : 1),
      'GET /api/fixed': (t) => (t >= asOf - 40 * HOUR && t < asOf - 10 * HOUR ? 2 : 1),
      'GET /api/drift': (t) => 1.03 ** ((t - START) / (7 * DAY)),
      'GET /api/steady': () => 1,
    };
    const metrics = Object.entries(scenarios).flatMap(([endpoint, factor]) =>
      // Three weeks of history is all the hourly detector reads; less data keeps the test quick.
      SEEDS.map((seed) => traffic(`${endpoint}/${seed}`, seed, asOf + 30 * HOUR, factor, asOf - 22 * DAY)).flat(),
    );
    const analyzer = createPerformanceAnalyzer({ warehouse: createMemoryWarehouse({ metrics }), settings });
    for (const hoursLater of [0, 12, 30]) {
      const at = asOf + hoursLater * HOUR;
      expect(regressionsOf(await analyzer.analyze(context('regression-watch', at))), `${hoursLater} h later`).toEqual([]);
    }
    expect(regressionsOf(await analyzer.analyze(context('daily', asOf)))).toEqual([]);
  });

  it('keeps one regression finding per endpoint, under one fingerprint, from its first hours until only the daily detector holds it', async () => {
    const until = ONSET + 9 * DAY + HOUR;
    const metrics = traffic('GET /api/cart', 7, until, (t) => (t >= ONSET ? 2 : 1));
    const analyzer = createPerformanceAnalyzer({ warehouse: createMemoryWarehouse({ metrics }), settings });
    const runs: [CycleType, number, 'hourly' | 'daily', string][] = [
      ['regression-watch', ONSET + 6 * HOUR, 'hourly', '2026-01-31T09:00Z'],
      ['regression-watch', ONSET + 30 * HOUR, 'hourly', '2026-01-31T09:00Z'],
      ['daily', START + 35 * DAY, 'hourly', '2026-01-31T09:00Z'],
      ['daily', START + 40 * DAY, 'daily', '2026-01-31'],
    ];
    for (const [cycle, asOf, detector, began] of runs) {
      const found = regressionsOf(await analyzer.analyze(context(cycle, asOf)));
      expect(found.map((f) => f.fingerprint)).toEqual(['performance:regression:GET /api/cart']);
      expect(found[0]!.details).toMatchObject({ detector });
      expect(evidence(found[0]!, 'regression began')).toBe(began);
    }
  });

  it('leaves hours with fewer than 5 calls out, unless told otherwise', async () => {
    const asOf = ONSET + 6 * HOUR;
    const random = seededRandom(11);
    const metrics: MetricRow[] = [];
    for (let hourStart = START; hourStart < asOf; hourStart += HOUR)
      for (let c = 0; c < 4; c++)
        metrics.push({
          endpoint: 'GET /api/rare',
          responseTimeMs: (hourStart >= ONSET ? 900 : 300) * (0.9 + 0.2 * random()),
          timestamp: new Date(hourStart + Math.floor(random() * HOUR)),
        });
    const warehouse = createMemoryWarehouse({ metrics });
    const watch = (hourlyMinCalls?: number) =>
      createPerformanceAnalyzer({ warehouse, settings: { ...settings, hourlyMinCalls } }).analyze(context('regression-watch', asOf));
    expect(await watch()).toEqual([]);
    expect((await watch(4)).map((f) => evidence(f, 'regression began'))).toEqual(['2026-01-31T09:00Z']);
  });

  it('runs only the regression detectors in a regression-watch cycle', async () => {
    const asOf = ONSET + 6 * HOUR;
    const metrics = traffic('GET /api/reports/export', 4, asOf, () => 12);
    const analyzer = createPerformanceAnalyzer({ warehouse: createMemoryWarehouse({ metrics }), settings });
    expect(await analyzer.analyze(context('regression-watch', asOf))).toEqual([]);
    expect((await analyzer.analyze(context('daily', asOf))).map((f) => f.fingerprint)).toEqual([
      'performance:slow:GET /api/reports/export',
    ]);
  });
});
