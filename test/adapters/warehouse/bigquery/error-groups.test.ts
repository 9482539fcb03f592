import { afterEach, describe, expect, it } from 'vitest';
import { BIGQUERY_DIALECT } from '../../../../src/adapters/warehouse/bigquery/error-group-query.ts';
import { UNFOLDABLE_DIGITS, UUID_PATTERN } from '../../../../src/adapters/warehouse/error-message-key.ts';
import type { RecordedQuery } from '../../../fakes/bigquery/fake-bigquery-server.ts';
import { answerBySql } from '../../../fakes/bigquery/fake-bigquery-server.ts';
import type { FakeField, FakeFieldType } from '../../../fakes/bigquery/wire-format.ts';
import { closeHarnesses, PROJECT, startHarness, WINDOW } from './harness.ts';

afterEach(closeHarnesses);

const schema = [
  ['key', 'STRING'],
  ['endpoint', 'STRING'],
  ['occurrences', 'INTEGER'],
  ['messages', 'INTEGER'],
  ['first_seen', 'TIMESTAMP'],
  ['last_seen', 'TIMESTAMP'],
  ['message', 'STRING'],
  ['stack', 'STRING'],
  ['message_count', 'INTEGER'],
  ['message_last_seen', 'TIMESTAMP'],
].map(([name, type]): FakeField => ({ name: name!, type: type as FakeFieldType, mode: 'NULLABLE' }));

describe('the BigQuery warehouse’s error groups', () => {
  it('group every line of the window by the masked key in SQL (REGEXP_REPLACE, TRANSLATE), with no cap, and map each group', async () => {
    const { fake, warehouse } = await startHarness({
      handler: answerBySql([
        [
          'error_logs',
          {
            schema,
            rows: [
              [
                'Invalid quantity 0.0 for SKU-0000 in order 00000',
                'GET /api/orders/:id',
                '1200',
                '1180',
                '2026-03-01T00:00:01Z',
                '2026-03-07T23:00:00.5Z',
                'Invalid quantity 3.5 for SKU-1005 in order 19314',
                'TypeError at formatOrderTotal (/srv/app/src/orders/format.js:28:13)',
                '3',
                '2026-03-07T20:00:00Z',
              ],
            ],
          },
        ],
      ]),
    });
    const groups = await warehouse.errorGroups!(WINDOW);
    expect(groups).toEqual([
      {
        key: 'Invalid quantity 0.0 for SKU-0000 in order 00000',
        endpoint: 'GET /api/orders/:id',
        count: 1200,
        messages: 1180,
        firstSeen: new Date('2026-03-01T00:00:01Z'),
        lastSeen: new Date('2026-03-07T23:00:00.500Z'),
        message: 'Invalid quantity 3.5 for SKU-1005 in order 19314',
        stack: 'TypeError at formatOrderTotal (/srv/app/src/orders/format.js:28:13)',
        messageCount: 3,
        messageLastSeen: new Date('2026-03-07T20:00:00Z'),
      },
    ]);
    const [query] = fake.queries as [RecordedQuery];
    expect(query.sql).toContain(`FROM \`${PROJECT}.logs.error_logs\``);
    expect(query.sql).toContain('WHERE timestamp >= @from AND timestamp < @to');
    expect(query.sql).toContain(`REGEXP_REPLACE(message, r'${UUID_PATTERN}', r'<UUID>')`);
    expect(query.sql).toContain(`REGEXP_CONTAINS(u, r'${UNFOLDABLE_DIGITS}')`);
    expect(query.sql).toContain("translate(u, '123456789', '000000000')");
    expect(query.sql).toContain('GROUP BY key, endpoint');
    expect(query.sql).not.toMatch(/@cap|LIMIT \d{2,}/);
    expect(query.parameters.map((p) => p.name)).toEqual(['from', 'to']);
  });

  it('refuse a pattern a raw string cannot hold rather than send broken SQL', () => {
    expect(() => BIGQUERY_DIALECT.quote("it's")).toThrow(/quote/);
  });
});
