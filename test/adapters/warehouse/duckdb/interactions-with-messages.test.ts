import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbWarehouse } from '../../../../src/adapters/warehouse/duckdb/duckdb-warehouse.ts';
import { createFeatureAnalyzer } from '../../../../src/analyzers/features/feature-analyzer.ts';
import { NO_TEXT_CAP } from '../../../../src/analyzers/interaction-texts.ts';
import type { TelemetryWarehouse, TimeWindow } from '../../../../src/ports/warehouse.ts';
import { randomData } from '../../../analyzers/random-data.ts';
import { writeFixture, type InteractionRow } from './telemetry-fixtures.ts';

const window: TimeWindow = { from: new Date('2026-01-02T00:00:00Z'), to: new Date('2026-01-03T00:00:00Z') };

function interactions(): InteractionRow[] {
  const { int, pick } = randomData(16);
  const messages = [
    'Please add dark mode to the dashboard',
    'Could you add a dark mode?',
    'Can you add CSV export for order {n}?',
    'I wish I could export my orders to CSV',
    'Where is my order {n}?',
    'How do I reset my password?',
  ];
  return Array.from({ length: 1500 }, () => ({
    timestamp: new Date(window.from.getTime() + int(0, 86_399) * 1000),
    customer_id: `c-${int(1, 90)}`,
    interaction_type: pick(['chat', 'email']),
    message: pick(messages).replace('{n}', String(int(1000, 1100))),
    response: 'Thanks, noted.',
    outcome: pick(['resolved', null]),
    sentiment_score: 0.1,
    metadata: { plan: pick(['free', 'pro', 'enterprise']), revenue: int(0, 5000) },
  }));
}

describe('reading the rows of chosen messages from DuckDB', () => {
  let root: string;
  let warehouse: TelemetryWarehouse;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'duckdb-with-messages-'));
    await writeFixture(path.join(root, 'telemetry'), 'parquet', { metrics: [], errors: [], interactions: interactions() });
    warehouse = await createDuckDbWarehouse({ telemetryDir: path.join(root, 'telemetry'), writeDir: path.join(root, 'write') });
  });
  afterAll(async () => {
    await warehouse?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('shows each distinct message once and answers the rows of the kept ones in text order', async () => {
    let shown: readonly string[] = [];
    const kept = await warehouse.interactionsWithMessages!(window, (messages) => {
      shown = messages;
      return messages.filter((m) => m.includes('CSV'));
    });
    const all = await warehouse.interactionTexts(window, NO_TEXT_CAP);
    expect([...shown].sort()).toEqual([...new Set(all.rows.map((r) => r.message))].sort());
    expect(kept.length).toBeGreaterThan(100);
    expect(kept).toEqual(all.rows.filter((r) => r.message.includes('CSV')));
  });

  it('lets the feature analyzer read only the requests, with the findings of a warehouse that reads every text', async () => {
    let textReads = 0;
    const counting: TelemetryWarehouse = {
      ...warehouse,
      interactionsWithMessages: (w, pick) => warehouse.interactionsWithMessages!(w, pick),
      interactionTexts: (w, cap) => (textReads++, warehouse.interactionTexts(w, cap)),
    };
    const { interactionsWithMessages: _, ...everyText } = warehouse;
    const run = (source: TelemetryWarehouse) =>
      createFeatureAnalyzer({ warehouse: source, settings: { minFeatureRequestsForProposal: 5 } }).analyze({
        cycle: 'weekly',
        window,
        asOf: window.to,
      });
    const findings = await run(counting);
    expect(textReads).toBe(0);
    expect(findings.length).toBeGreaterThanOrEqual(2);
    expect(findings).toEqual(await run(everyText as TelemetryWarehouse));
  });
});
