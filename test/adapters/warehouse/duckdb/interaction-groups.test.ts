import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbWarehouse } from '../../../../src/adapters/warehouse/duckdb/duckdb-warehouse.ts';
import { createLearningAnalyzer } from '../../../../src/analyzers/learning/learning-analyzer.ts';
import { createLearningPlan } from '../../../../src/analyzers/learning/learning-plan.ts';
import { learnFromGroups, learnFromInteractions } from '../../../../src/analyzers/learning/learning-report.ts';
import { groupRows } from '../../../../src/analyzers/learning/row-groups.ts';
import { NO_TEXT_CAP } from '../../../../src/analyzers/interaction-texts.ts';
import type { KnowledgeEntry } from '../../../../src/ports/store.ts';
import type { TelemetryWarehouse, TimeWindow } from '../../../../src/ports/warehouse.ts';
import { randomData } from '../../../analyzers/random-data.ts';
import { writeFixture, type InteractionRow } from './telemetry-fixtures.ts';

const window: TimeWindow = { from: new Date('2026-01-02T00:00:00Z'), to: new Date('2026-01-03T00:00:00Z') };

/**
 * 3,000 conversations meant to hit every edge of the grouped read: order numbers in questions,
 * answers that differ in case and spacing alone, unsure, blank and missing answers, outcomes in
 * several spellings or missing, missing scores, a question with a character past U+FFFF (two UTF-16
 * code units in the row hash), rows on the same second, and a topic with far more than 200 successes.
 */
function conversations(): InteractionRow[] {
  const { int, pick, random } = randomData(15);
  const topics = [
    {
      q: ['How do I reset my password?', 'I forgot my password for order {n}', 'password reset link 📦 expired'],
      a: [
        'Click "Forgot password" on the sign-in page.',
        'click "forgot password"  on the sign-in page.',
        'Use the reset link we email you.',
      ],
    },
    {
      q: ['Can I get a refund on my annual plan?', 'Refund for annual plan {n} please'],
      a: ["I'm not sure, let me check with billing.", 'Annual plans are refunded pro rata.', '   '],
    },
    { q: ['Where is my order {n}?', 'Has order {n} shipped yet?'], a: ['It ships within two days.', 'Your order is on its way.', null] },
    {
      q: ['Can I talk to a human?', 'I want a real person'],
      a: ["I'll escalate this to a colleague who will get back to you.", 'A specialist will join shortly.'],
    },
  ];
  const outcomes = ['resolved', 'Resolved', 'escalated', 'Not Resolved', 'pending', null];
  return Array.from({ length: 3000 }, (_, i) => {
    const topic = i % 10 < 6 ? topics[0]! : pick(topics);
    return {
      timestamp: new Date(window.from.getTime() + int(0, 86_399) * 1000),
      customer_id: `c-${int(1, 140)}`,
      interaction_type: pick(['chat', 'email', 'support']),
      message: pick(topic.q).replace('{n}', String(int(1000, 1400))),
      response: pick(topic.a),
      outcome: pick(outcomes),
      sentiment_score: random() < 0.1 ? null : Math.round((random() * 2 - 1) * 100) / 100,
      metadata: { channel: pick(['mobile', 'web']), plan: pick(['free', 'pro']) },
    };
  });
}

/** Sums of scores are added in another order in SQL: equal to the 9th decimal, not to the bit. */
function rounded<T>(value: T): T {
  return JSON.parse(JSON.stringify(value), (_, v: unknown) =>
    typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 1e9) / 1e9 : v,
  ) as T;
}
const sortedJson = (items: readonly unknown[]) => items.map((item) => JSON.stringify(rounded(item))).sort();

describe("the DuckDB warehouse's grouped read for learning", () => {
  let root: string;
  let warehouse: TelemetryWarehouse;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'duckdb-interaction-groups-'));
    await writeFixture(path.join(root, 'telemetry'), 'parquet', { metrics: [], errors: [], interactions: conversations() });
    warehouse = await createDuckDbWarehouse({ telemetryDir: path.join(root, 'telemetry'), writeDir: path.join(root, 'write') });
  });
  afterAll(async () => {
    await warehouse?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('answers what the rows one by one give: facets, the sample, customers per topic, answer candidates, profiled rows', async () => {
    const options = { topicSampleSize: 300, maxProfiles: 20 };
    const inSql = createLearningPlan(options);
    const fromSql = await warehouse.interactionGroups!(window, inSql.plan);
    const inMemory = createLearningPlan(options);
    const texts = await warehouse.interactionTexts(window, NO_TEXT_CAP);
    const fromRows = groupRows(texts.rows, inMemory.plan);

    expect(fromSql.facets.reduce((sum, f) => sum + f.count, 0)).toBe(3000);
    expect(sortedJson(fromSql.facets)).toEqual(sortedJson(fromRows.facets));
    // The same sample means the same topics, conversation by conversation.
    const topicsOf = (planned: ReturnType<typeof inSql.planned>) =>
      planned.conversations.map((c, i) => [
        c.message,
        c.response,
        c.sampled,
        c.firstSampled,
        planned.topics[planned.topicOf[i]!]?.id ?? null,
      ]);
    expect(sortedJson(topicsOf(inSql.planned(fromSql)))).toEqual(sortedJson(topicsOf(inMemory.planned(fromRows))));
    expect(
      inSql
        .planned(fromSql)
        .conversations.filter((c) => c.sampled > 0)
        .reduce((sum, c) => sum + c.sampled, 0),
    ).toBe(300);
    expect(sortedJson(fromSql.topicCustomers)).toEqual(sortedJson(fromRows.topicCustomers));
    expect(rounded(fromSql.candidates)).toEqual(rounded(fromRows.candidates));
    const perTopic = new Map<number, number>();
    for (const c of fromSql.candidates) perTopic.set(c.topic, (perTopic.get(c.topic) ?? 0) + 1);
    expect(Math.max(...perTopic.values())).toBe(200);
    expect(fromSql.profileRows).toEqual(fromRows.profileRows);
    expect(new Set(fromSql.profileRows.map((row) => row.customerId)).size).toBe(20);
  });

  it('gives the same learning report as the texts read row by row', async () => {
    const stats = await warehouse.interactionStats(window);
    const texts = await warehouse.interactionTexts(window, NO_TEXT_CAP);
    const options = { topicSampleSize: 300, minTopicSupport: 5 };
    const grouped = await learnFromGroups(stats, (plan) => warehouse.interactionGroups!(window, plan), NO_TEXT_CAP, options);
    const byRows = learnFromInteractions(stats, texts, options);
    expect(grouped.topics.length).toBeGreaterThan(1);
    expect(grouped.profiles.length).toBeGreaterThan(0);
    expect(rounded(grouped)).toEqual(rounded(byRows));
  });

  it('lets the learning analyzer read no interaction texts at all, with the findings and knowledge of a warehouse without the grouped read', async () => {
    let textReads = 0;
    const counting: TelemetryWarehouse = {
      ...warehouse,
      interactionGroups: (w, plan) => warehouse.interactionGroups!(w, plan),
      interactionTexts: (w, cap) => (textReads++, warehouse.interactionTexts(w, cap)),
    };
    const { interactionGroups: _, ...withoutGroups } = warehouse;
    const run = async (source: TelemetryWarehouse) => {
      const written: KnowledgeEntry[] = [];
      const analyzer = createLearningAnalyzer({
        warehouse: source,
        knowledge: { put: async (entry) => void written.push(entry) },
        settings: { minInteractionsForLearning: 10 },
        options: { minTopicSupport: 5 },
      });
      const context = { cycle: 'daily' as const, window, asOf: window.to };
      return rounded({ findings: await analyzer.analyze(context), written });
    };
    const grouped = await run(counting);
    expect(textReads).toBe(0);
    expect(grouped.findings.length + grouped.written.length).toBeGreaterThan(0);
    expect(grouped).toEqual(await run(withoutGroups as TelemetryWarehouse));
  });
});
