import { z } from 'zod';
import { defineTool, ToolInputError } from './tool.ts';
import { resolveWindow, windowInput, windowLabel } from './window.ts';

const TABLE = 'ai_learning.customer_interactions';

/** Feature requests grouped into themes by the feature analyzer (a dry run). */
export const featureThemesTool = defineTool({
  name: 'feature_themes',
  description:
    'What customers ask the product to do: feature requests detected in customer messages over a time window, grouped into themes, ranked by frequency times business value, with distinct customers, revenue represented, plans and example quotes. Use plan to keep themes requested by customers of one plan (e.g. "enterprise").',
  input: z.object({
    ...windowInput,
    plan: z.string().trim().min(1).max(40).optional().describe('Only themes with requests from customers on this plan'),
    limit: z.number().int().min(1).max(15).optional().describe('How many themes; default 5'),
  }),
  async run(input, sources) {
    const analyzer = await sources.featureThemes?.();
    if (!analyzer) throw new ToolInputError('feature analysis is not available (no warehouse with customer interactions)');
    const window = resolveWindow({ days: 30, ...input }, sources.now());
    const findings = await analyzer.analyze({ cycle: 'weekly', window, asOf: sources.now(), dryRun: true });
    const plan = input.plan?.toLowerCase();
    const themes = findings
      .map((finding) => {
        const d = finding.details ?? {};
        const plans = (d.plans ?? {}) as Record<string, number>;
        return {
          theme: Array.isArray(d.label) ? (d.label as string[]).join(', ') : finding.title,
          requests: Number(d.count ?? 0),
          customers: Number(d.customers ?? 0),
          valueScore: Math.round(Number(d.score ?? 0) * 100) / 100,
          revenue: Number(d.revenue ?? 0),
          plans,
          quotes: Array.isArray(d.quotes) ? (d.quotes as string[]).slice(0, 3) : [],
        };
      })
      .filter((t) => !plan || (t.plans[plan] ?? 0) > 0)
      .slice(0, input.limit ?? 5);
    const label = windowLabel(window);
    const total = themes.reduce((sum, t) => sum + t.requests, 0);
    return {
      summary: themes.length
        ? `${themes.length} theme(s), ${total} requests, in ${label.from} – ${label.to}${plan ? ` (plan ${input.plan})` : ''}.`
        : `No feature requests${plan ? ` from plan ${input.plan}` : ''} in ${label.from} – ${label.to}.`,
      data: { window: label, themes },
      citations: [{ kind: 'telemetry', table: TABLE, window: label, counts: `${total} feature requests in ${themes.length} themes` }],
      table: {
        title: `Feature themes, ${label.from.slice(0, 10)} – ${label.to.slice(0, 10)}`,
        columns: ['theme', 'requests', 'customers', 'value score', 'plans'],
        rows: themes.map((t) => [t.theme, t.requests, t.customers, t.valueScore, planText(t.plans)]),
      },
    };
  },
});

function planText(plans: Record<string, number>): string {
  return (
    Object.entries(plans)
      .map(([plan, n]) => `${plan} ${n}`)
      .join(', ') || '–'
  );
}
