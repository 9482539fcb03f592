import type { PerformanceGain, ProposalStore } from '../../ports/store.ts';
import type { TelemetryWarehouse } from '../../ports/warehouse.ts';

const DAY = 24 * 3600 * 1000;

export interface GainVerification {
  proposalId: string;
  endpoint: string;
  outcome: 'recorded' | 'waiting' | 'no traffic';
  gain?: PerformanceGain;
}

/**
 * After a performance proposal is implemented, compares the endpoint's p95 over equal windows before
 * and after the change, once the after-window is complete, and records the realized gain (also when
 * it is a loss: the metrics only count real improvements, but a person should see a change that did
 * not help). The metrics' performanceGains come from these measurements only.
 */
export async function verifyPerformanceGains(deps: {
  store: ProposalStore;
  warehouse: TelemetryWarehouse;
  now: Date;
  windowDays?: number;
}): Promise<GainVerification[]> {
  const windowMs = (deps.windowDays ?? 7) * DAY;
  const measured = new Set((await deps.store.listGains()).map((g) => g.proposalId));
  const results: GainVerification[] = [];
  for (let offset = 0; ; offset += 100) {
    const page = await deps.store.list({ status: 'implemented', type: 'performance', limit: 100, offset });
    for (const summary of page.items) {
      const endpoint = summary.subject?.endpoint;
      if (!endpoint || measured.has(summary.id)) continue;
      const proposal = await deps.store.get(summary.id);
      const implementedAt = proposal?.history.findLast((h) => h.to === 'implemented')?.at;
      if (!implementedAt) continue;
      const at = new Date(implementedAt).getTime();
      if (deps.now.getTime() < at + windowMs) {
        results.push({ proposalId: summary.id, endpoint, outcome: 'waiting' });
        continue;
      }
      const [before, after] = await Promise.all([
        deps.warehouse.endpointStats({ from: new Date(at - windowMs), to: new Date(at) }),
        deps.warehouse.endpointStats({ from: new Date(at), to: new Date(at + windowMs) }),
      ]);
      const b = before.find((s) => s.endpoint === endpoint);
      const a = after.find((s) => s.endpoint === endpoint);
      if (!b?.calls || !a?.calls) {
        results.push({ proposalId: summary.id, endpoint, outcome: 'no traffic' });
        continue;
      }
      const gain: PerformanceGain = {
        proposalId: summary.id,
        endpoint,
        beforeMs: Math.round(b.p95Ms),
        afterMs: Math.round(a.p95Ms),
        measuredAt: deps.now.toISOString(),
      };
      await deps.store.recordGain(gain);
      await deps.warehouse.recordOptimization({
        proposalId: summary.id,
        endpoint,
        beforeP95Ms: gain.beforeMs,
        afterP95Ms: gain.afterMs,
        responseTimeReduction: gain.beforeMs - gain.afterMs,
        timestamp: deps.now,
      });
      results.push({ proposalId: summary.id, endpoint, outcome: 'recorded', gain });
    }
    if (offset + page.items.length >= page.total || !page.items.length) break;
  }
  return results;
}
