import { afterEach, describe, expect, it } from 'vitest';
import { fakeFailures } from '../../../fakes/bigquery/bigquery-errors.ts';
import { answerBySql, type RecordedQuery } from '../../../fakes/bigquery/fake-bigquery-server.ts';
import type { FakeField } from '../../../fakes/bigquery/wire-format.ts';
import { closeHarnesses, PROJECT, startHarness, WINDOW } from './harness.ts';

afterEach(closeHarnesses);

const text = (name: string): FakeField => ({ name, type: 'STRING', mode: 'NULLABLE' });
const MATCHED: FakeField[] = [text('message'), text('outcome'), { name: 'interactions', type: 'INTEGER', mode: 'NULLABLE' }];
const DEPLOYS: FakeField[] = [
  text('id'),
  { name: 'deployed_at', type: 'TIMESTAMP', mode: 'NULLABLE' },
  text('commit_sha'),
  text('ref'),
  text('environment'),
  text('service'),
];

describe('the BigQuery warehouse for outcomes', () => {
  it('counts interactions by message and outcome in SQL, the prefix pattern travelling as a @pattern value', async () => {
    const { fake, warehouse } = await startHarness({
      handler: answerBySql([
        [
          'REGEXP_CONTAINS',
          {
            schema: MATCHED,
            rows: [
              ['Can I talk to a human?', 'escalated', '12'],
              ['Can I talk to a human?', null, 3],
            ],
          },
        ],
      ]),
    });
    const planted = "x'); DROP TABLE y; --";
    expect(await warehouse.interactionsMatching!(WINDOW, ['human', 'talk', planted])).toEqual([
      { message: 'Can I talk to a human?', outcome: 'escalated', count: 12 },
      { message: 'Can I talk to a human?', outcome: null, count: 3 },
    ]);
    const [query] = fake.queries as [RecordedQuery];
    expect(query.sql).toContain(`FROM \`${PROJECT}.ai_learning.customer_interactions\``);
    expect(query.sql).toContain('WHERE timestamp >= @from AND timestamp < @to');
    expect(query.sql).toContain('REGEXP_CONTAINS(message, @pattern)');
    expect(query.sql).toMatch(/GROUP BY message, outcome/);
    expect(query.sql).not.toContain('DROP');
    expect(query.parameterValues['pattern']).toBe("(?i)\\b(?:human|talk|x'\\); drop table y; \\-\\-)");
    // No prefixes, no query (and no bill).
    expect(await warehouse.interactionsMatching!(WINDOW, [])).toEqual([]);
    expect(fake.queries).toHaveLength(1);
  });

  it('reads deploy markers from performance.deployments by deployed_at, one row per id, and none when the table does not exist', async () => {
    const { fake, warehouse } = await startHarness({
      handler: answerBySql([
        [
          'deployments',
          {
            schema: DEPLOYS,
            rows: [
              ['d-1', '2026-03-02T08:00:00.000000Z', '4f2c9ab0', 'main', 'production', 'api'],
              ['d-2', new Date('2026-03-03T08:00:00Z'), null, null, null, null],
            ],
          },
        ],
      ]),
    });
    expect(await warehouse.deployments!(WINDOW)).toEqual([
      {
        id: 'd-1',
        deployedAt: '2026-03-02T08:00:00.000Z',
        commit: '4f2c9ab0',
        ref: 'main',
        environment: 'production',
        service: 'api',
        source: 'warehouse',
      },
      { id: 'd-2', deployedAt: '2026-03-03T08:00:00.000Z', source: 'warehouse' },
    ]);
    const [query] = fake.queries as [RecordedQuery];
    expect(query.sql).toContain(`FROM \`${PROJECT}.performance.deployments\``);
    expect(query.sql).toContain('WHERE deployed_at >= @from AND deployed_at < @to');
    expect(query.sql).toContain('QUALIFY ROW_NUMBER() OVER (PARTITION BY id');

    const absent = await startHarness({ handler: () => fakeFailures.notFound(`${PROJECT}:performance.deployments`) });
    expect(await absent.warehouse.deployments!(WINDOW)).toEqual([]);
    const denied = await startHarness({ handler: () => fakeFailures.accessDenied(`${PROJECT}:performance.deployments`) });
    await expect(denied.warehouse.deployments!(WINDOW)).rejects.toMatchObject({ kind: 'permission_denied' });
  });
});
