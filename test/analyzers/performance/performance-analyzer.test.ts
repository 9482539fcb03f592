import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEmbeddedStore } from '../../../src/adapters/store/embedded/embedded-store.ts';
import { createPerformanceAnalyzer } from '../../../src/analyzers/performance/performance-analyzer.ts';
import { seededRandom } from '../../../src/analyzers/performance/seeded-random.ts';
import { verifyPerformanceGains } from '../../../src/analyzers/performance/verify-gains.ts';
import type { AnalysisContext } from '../../../src/ports/analyzer.ts';
import { createMemoryWarehouse, quantileCont, type MetricRow } from '../../helpers/memory-warehouse.ts';
import { makeDraft } from '../../helpers/drafts.ts';

const DAY = 24 * 3600 * 1000;
const END = new Date('2026-01-31T00:00:00Z');

/** Calls spread over `days` days ending at END, latency drawn around `level(day)` with ±10% noise. */
function traffic(endpoint: string, days: number, perDay: number, level: (day: number) => number, seed: number): MetricRow[] {
  const random = seededRandom(seed);
  const rows: MetricRow[] = [];
  for (let day = 0; day < days; day++) {
    for (let i = 0; i < perDay; i++) {
      const timestamp = new Date(END.getTime() - (days - day) * DAY + Math.floor(random() * DAY));
      rows.push({ endpoint, responseTimeMs: level(day) * (0.9 + 0.2 * random()), errorRate: 0, timestamp });
    }
  }
  return rows;
}

const lastDay = (): AnalysisContext => ({ cycle: 'daily', asOf: END, window: { from: new Date(END.getTime() - DAY), to: END } });
const settings = { performanceThresholdMs: 2000 };

describe('the performance analyzer', () => {
  it('finds the slow endpoint with its measured percentiles, and nothing on fast ones', async () => {
    const slow = traffic('GET /api/reports/export', 30, 40, () => 3400, 1);
    const fast = traffic('GET /api/health', 30, 40, () => 20, 2);
    const warehouse = createMemoryWarehouse({ metrics: [...slow, ...fast] });
    const findings = await createPerformanceAnalyzer({ warehouse, settings }).analyze(lastDay());
    const slowFindings = findings.filter((f) => f.fingerprint.startsWith('performance:slow:'));
    expect(slowFindings.map((f) => f.fingerprint)).toEqual(['performance:slow:GET /api/reports/export']);
    const lastDayLatencies = slow
      .filter((r) => r.timestamp >= lastDay().window.from)
      .map((r) => r.responseTimeMs)
      .sort((a, b) => a - b);
    const p95 = Math.round(quantileCont(lastDayLatencies, 0.95));
    expect(slowFindings[0]!.evidence).toContainEqual({ label: 'p95', value: p95, unit: 'ms' });
    expect(slowFindings[0]!.evidence).toContainEqual({ label: 'calls', value: 40 });
    expect(slowFindings[0]!.priority).toBe('high');
    expect(slowFindings[0]!.subject).toEqual({ endpoint: 'GET /api/reports/export' });
  });

  it('ranks slow endpoints by excess latency times calls', async () => {
    const warehouse = createMemoryWarehouse({
      metrics: [...traffic('GET /a', 1, 10, () => 6000, 3), ...traffic('GET /b', 1, 500, () => 2500, 4)],
    });
    const findings = await createPerformanceAnalyzer({ warehouse, settings }).analyze(lastDay());
    expect(findings.filter((f) => f.fingerprint.startsWith('performance:slow:')).map((f) => f.subject?.endpoint)).toEqual([
      'GET /b',
      'GET /a',
    ]);
  });

  it('says when a latency regression began and by how much', async () => {
    const orders = traffic('GET /api/orders/:id', 30, 60, (day) => (day >= 20 ? 900 : 300), 5);
    const warehouse = createMemoryWarehouse({ metrics: orders });
    const findings = await createPerformanceAnalyzer({ warehouse, settings }).analyze(lastDay());
    const regression = findings.find((f) => f.fingerprint === 'performance:regression:GET /api/orders/:id');
    expect(regression).toBeDefined();
    const began = new Date(END.getTime() - 10 * DAY).toISOString().slice(0, 10);
    expect(regression!.evidence).toContainEqual({ label: 'regression began', value: began });
    const before = Number(regression!.evidence.find((e) => e.label === 'p95 before')?.value);
    const after = Number(regression!.evidence.find((e) => e.label === 'p95 after')?.value);
    expect(before).toBeGreaterThan(300 * 0.95);
    expect(before).toBeLessThan(300 * 1.15);
    expect(after).toBeGreaterThan(900 * 0.95);
    expect(after).toBeLessThan(900 * 1.15);
    expect(regression!.title).toContain(began);
  });

  it('raises nothing for a regression that was already fixed, or for steady noisy traffic', async () => {
    const fixed = traffic('GET /api/cart', 30, 60, (day) => (day >= 10 && day < 20 ? 900 : 300), 6);
    const steady = traffic('GET /api/items', 30, 60, () => 300, 7);
    const warehouse = createMemoryWarehouse({ metrics: [...fixed, ...steady] });
    const findings = await createPerformanceAnalyzer({ warehouse, settings: { ...settings, cacheMinP50Ms: 10_000 } }).analyze(lastDay());
    expect(findings).toEqual([]);
  });

  it('proposes a cache for a busy, steady, read-only endpoint but not for writes', async () => {
    const metrics = [
      ...traffic('GET /api/catalog', 1, 2000, () => 250, 8),
      ...traffic('POST /api/orders', 1, 2000, () => 250, 9),
      ...traffic('GET /api/rare', 1, 5, () => 250, 10),
    ];
    const findings = await createPerformanceAnalyzer({ warehouse: createMemoryWarehouse({ metrics }), settings }).analyze(lastDay());
    expect(findings.map((f) => f.fingerprint)).toEqual(['performance:cache:GET /api/catalog']);
    expect(findings[0]!.priority).toBe('low');
  });

  it('points a finding at the handler registered for its route', async () => {
    const files: Record<string, string> = {
      'src/server.js': "const app = express();\napp.get('/api/health', health);\napp.get('/api/reports/export', exportReport);\n",
      'test/server.test.js': "request(app).get('/api/reports/export')\n",
      'node_modules/x/index.js': "app.get('/api/reports/export', other)\n",
    };
    const repo = { listFiles: async () => Object.keys(files), readFile: async (p: string) => files[p] ?? null };
    const warehouse = createMemoryWarehouse({ metrics: traffic('GET /api/reports/export', 1, 20, () => 3000, 11) });
    const [finding] = await createPerformanceAnalyzer({ warehouse, repo, settings }).analyze(lastDay());
    expect(finding!.evidence).toContainEqual({ label: 'handler', value: 'src/server.js:3' });
    expect(finding!.subject).toEqual({ endpoint: 'GET /api/reports/export', files: ['src/server.js'] });
  });
});

describe('verifying a performance gain', () => {
  it('records the realized p95 change once the after-window is complete, in the store and the warehouse', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'il-gains-'));
    const store = createEmbeddedStore({ file: path.join(dir, 'store.sqlite') });
    try {
      const implementedAt = new Date(END.getTime() - 10 * DAY);
      const metrics = traffic('GET /api/reports/export', 30, 50, (day) => (day >= 20 ? 1200 : 3400), 12);
      const warehouse = createMemoryWarehouse({ metrics });
      const p = await store.create(makeDraft({ type: 'performance', subject: { endpoint: 'GET /api/reports/export' } }), {
        actor: 'cycle',
      });
      for (const to of ['approved', 'executing'] as const)
        await store.transition({ id: p.id, to, actor: 'u', idempotencyKey: `${p.id}-${to}` });
      const storeAt = createEmbeddedStore({ file: path.join(dir, 'store.sqlite'), now: () => implementedAt });
      await storeAt.transition({ id: p.id, to: 'implemented', actor: 'executor', idempotencyKey: `${p.id}-impl` });
      await storeAt.close();

      const early = await verifyPerformanceGains({ store, warehouse, now: new Date(implementedAt.getTime() + 3 * DAY) });
      expect(early).toEqual([{ proposalId: p.id, endpoint: 'GET /api/reports/export', outcome: 'waiting' }]);

      const [result] = await verifyPerformanceGains({ store, warehouse, now: END });
      expect(result?.outcome).toBe('recorded');
      expect(result!.gain!.beforeMs).toBeGreaterThan(3400);
      expect(result!.gain!.afterMs).toBeLessThan(1400);
      expect(await store.listGains()).toEqual([result!.gain]);
      expect(warehouse.optimizations).toHaveLength(1);
      expect(warehouse.optimizations[0]!.responseTimeReduction).toBe(result!.gain!.beforeMs - result!.gain!.afterMs);
      expect(await verifyPerformanceGains({ store, warehouse, now: END })).toEqual([]);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
