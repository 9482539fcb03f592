import { z } from 'zod';
import type { EndpointStats } from '../../ports/warehouse.ts';
import { defineTool, ToolInputError } from './tool.ts';
import { previousWindow, resolveWindow, windowInput, windowLabel } from './window.ts';

const TABLE = 'performance.api_metrics';

/** p50/p95/p99 per endpoint over a window, beside the window of the same length before it. */
export const endpointLatencyTool = defineTool({
  name: 'endpoint_latency',
  description:
    'Latency per API endpoint over a time window (calls, mean, p50, p95, p99, error rate), each with the p95 of the window of the same length just before, sorted slowest p95 first. Optionally one endpoint or endpoints containing a text.',
  input: z.object({
    ...windowInput,
    endpoint: z.string().trim().min(1).max(200).optional().describe('Exact endpoint ("GET /api/checkout") or a part of it ("checkout")'),
    limit: z.number().int().min(1).max(25).optional().describe('How many endpoints; default 10'),
  }),
  async run(input, sources) {
    const warehouse = await sources.warehouse();
    if (!warehouse) throw new ToolInputError('no telemetry warehouse is configured');
    const window = resolveWindow(input, sources.now());
    const before = previousWindow(window);
    const [now, earlier] = await Promise.all([warehouse.endpointStats(window), warehouse.endpointStats(before)]);
    const match = matcher(input.endpoint);
    const earlierP95 = new Map(earlier.map((s) => [s.endpoint, s.p95Ms]));
    const rows = now
      .filter((s) => match(s.endpoint))
      .sort((a, b) => b.p95Ms - a.p95Ms || a.endpoint.localeCompare(b.endpoint))
      .slice(0, input.limit ?? 10)
      .map((s) => row(s, earlierP95.get(s.endpoint)));
    const calls = rows.reduce((sum, r) => sum + r.calls, 0);
    const label = windowLabel(window);
    const summary = rows.length
      ? `${rows.length} endpoint(s) over ${label.from} – ${label.to}; slowest p95 ${rows[0]!.p95Ms} ms (${rows[0]!.endpoint}).`
      : `No calls${input.endpoint ? ` matching "${input.endpoint}"` : ''} in ${label.from} – ${label.to}.`;
    return {
      summary,
      data: { window: label, previousWindow: windowLabel(before), endpoints: rows },
      citations: rows.length
        ? rows
            .slice(0, 5)
            .map((r) => ({ kind: 'telemetry' as const, table: TABLE, window: label, endpoint: r.endpoint, counts: `${r.calls} calls` }))
        : [{ kind: 'telemetry' as const, table: TABLE, window: label, counts: `${calls} calls` }],
      table: {
        title: `Endpoint latency, ${label.from.slice(0, 10)} – ${label.to.slice(0, 10)}`,
        columns: ['endpoint', 'calls', 'p50 ms', 'p95 ms', 'p99 ms', 'p95 before', 'error rate'],
        rows: rows.map((r) => [r.endpoint, r.calls, r.p50Ms, r.p95Ms, r.p99Ms, r.previousP95Ms ?? '–', r.errorRate]),
      },
    };
  },
});

function matcher(endpoint: string | undefined): (candidate: string) => boolean {
  if (!endpoint) return () => true;
  const needle = endpoint.toLowerCase();
  return (candidate) => candidate.toLowerCase() === needle || candidate.toLowerCase().includes(needle);
}

function row(s: EndpointStats, previousP95: number | undefined) {
  const round = (n: number) => Math.round(n);
  return {
    endpoint: s.endpoint,
    calls: s.calls,
    meanMs: round(s.meanMs),
    p50Ms: round(s.p50Ms),
    p95Ms: round(s.p95Ms),
    p99Ms: round(s.p99Ms),
    previousP95Ms: previousP95 === undefined ? null : round(previousP95),
    p95ChangePercent: previousP95 ? Math.round(((s.p95Ms - previousP95) / previousP95) * 1000) / 10 : null,
    errorRate: Math.round(s.errorRate * 10000) / 10000,
  };
}
