import { z } from 'zod';
import { defineTool, ToolInputError } from './tool.ts';
import { resolveWindow, windowInput, windowLabel } from './window.ts';

const TABLE = 'ai_learning.customer_interactions';

/** What customers talk to the platform about: interactions per type with sentiment and outcomes. */
export const interactionTopicsTool = defineTool({
  name: 'interaction_topics',
  description:
    'Customer interactions in a time window grouped by interaction type (topic): how many, mean sentiment (-1..1, null when unscored) and outcomes (resolved, escalated, ...), most frequent first.',
  input: z.object({ ...windowInput, limit: z.number().int().min(1).max(25).optional().describe('How many topics; default 10') }),
  async run(input, sources) {
    const warehouse = await sources.warehouse();
    if (!warehouse) throw new ToolInputError('no telemetry warehouse is configured');
    const window = resolveWindow(input, sources.now());
    const stats = (await warehouse.interactionStats(window)).slice(0, input.limit ?? 10);
    const label = windowLabel(window);
    const total = stats.reduce((sum, s) => sum + s.interactions, 0);
    const topics = stats.map((s) => ({
      topic: s.interactionType,
      interactions: s.interactions,
      meanSentiment: s.meanSentiment === null ? null : Math.round(s.meanSentiment * 100) / 100,
      outcomes: s.outcomes,
    }));
    return {
      summary: topics.length
        ? `${topics.length} topic(s), ${total} interactions, in ${label.from} – ${label.to}.`
        : `No interactions in ${label.from} – ${label.to}.`,
      data: { window: label, topics },
      citations: [{ kind: 'telemetry', table: TABLE, window: label, counts: `${total} interactions` }],
      table: {
        title: `Interaction topics, ${label.from.slice(0, 10)} – ${label.to.slice(0, 10)}`,
        columns: ['topic', 'interactions', 'mean sentiment', 'outcomes'],
        rows: topics.map((t) => [
          t.topic,
          t.interactions,
          t.meanSentiment ?? '–',
          Object.entries(t.outcomes)
            .map(([k, v]) => `${k} ${v}`)
            .join(', '),
        ]),
      },
    };
  },
});
