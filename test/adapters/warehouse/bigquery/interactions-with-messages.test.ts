import { afterEach, describe, expect, it } from 'vitest';
import { answerBySql, type RecordedQuery } from '../../../fakes/bigquery/fake-bigquery-server.ts';
import { resultSchemas } from '../../../fakes/bigquery/telemetry-results.ts';
import { closeHarnesses, startHarness, WINDOW } from './harness.ts';

afterEach(closeHarnesses);

const request = {
  customer_id: 'c-1',
  interaction_type: 'chat',
  message: 'Please add dark mode',
  response: 'Noted!',
  outcome: 'resolved',
  sentiment_score: 0.4,
  metadata: '{"plan":"pro"}',
  timestamp: new Date('2026-03-02T10:00:00.000Z'),
};

describe('the BigQuery warehouse, reading the rows of chosen messages', () => {
  it('lists the distinct messages in SQL, then reads only the kept ones, passed as an ARRAY<STRING>, in text order', async () => {
    const handler = answerBySql([
      [
        'SELECT DISTINCT message',
        { schema: [{ name: 'message', type: 'STRING', mode: 'NULLABLE' }], rows: [['Please add dark mode'], ['Where is my order?']] },
      ],
      ['IN UNNEST(@messages)', { schema: resultSchemas.interactionTexts('STRING').slice(1), rows: [request] }],
    ]);
    const { fake, warehouse } = await startHarness({ handler });
    let shown: readonly string[] = [];
    const rows = await warehouse.interactionsWithMessages!(WINDOW, (messages) => {
      shown = messages;
      return messages.filter((m) => m.startsWith('Please'));
    });
    expect(shown).toEqual(['Please add dark mode', 'Where is my order?']);
    expect(rows).toEqual([
      {
        customerId: 'c-1',
        interactionType: 'chat',
        message: 'Please add dark mode',
        response: 'Noted!',
        outcome: 'resolved',
        sentiment: 0.4,
        metadata: { plan: 'pro' },
        timestamp: request.timestamp,
      },
    ]);
    const [list, read] = fake.queries as [RecordedQuery, RecordedQuery];
    expect(list.sql).toContain('WHERE timestamp >= @from AND timestamp < @to');
    expect(read.sql).toContain('ORDER BY timestamp DESC, customer_id, message');
    expect(read.parameters.find((p) => p.name === 'messages')).toEqual({
      name: 'messages',
      type: 'ARRAY<STRING>',
      value: ['Please add dark mode'],
    });
    expect(read.sql).not.toContain('dark mode');
  });

  it('reads no rows at all when nothing is kept', async () => {
    const handler = answerBySql([
      ['SELECT DISTINCT message', { schema: [{ name: 'message', type: 'STRING', mode: 'NULLABLE' }], rows: [['Hi']] }],
    ]);
    const { fake, warehouse } = await startHarness({ handler });
    expect(await warehouse.interactionsWithMessages!(WINDOW, () => [])).toEqual([]);
    expect(fake.queries).toHaveLength(1);
  });
});
