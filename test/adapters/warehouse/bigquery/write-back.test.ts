import { afterEach, describe, expect, it } from 'vitest';
import { fakeFailures } from '../../../fakes/bigquery/bigquery-errors.ts';
import { answerBySql } from '../../../fakes/bigquery/fake-bigquery-server.ts';
import { closeHarnesses, PROJECT, startHarness } from './harness.ts';

afterEach(closeHarnesses);

const inserted = { schema: [], numDmlAffectedRows: 1 };
const PLANTED = "x'); DROP TABLE y; --";

describe('the BigQuery warehouse writes back', () => {
  it('an execution as a parameterized INSERT into ai_learning.agent_executions', async () => {
    const { fake, warehouse } = await startHarness(
      { handler: answerBySql([['INSERT INTO', inserted]]) },
      { maximumBytesBilled: '20000000' },
    );
    await warehouse.recordExecution({
      proposalId: 'prop-42',
      status: 'implemented',
      actor: 'U123',
      detail: PLANTED,
      timestamp: new Date('2026-03-08T09:30:00.125Z'),
    });
    const [query] = fake.queries;
    expect(query!.sql).toBe(`INSERT INTO \`${PROJECT}.ai_learning.agent_executions\` (proposal_id, status, actor, detail, timestamp)
VALUES (@proposal_id, @status, @actor, @detail, @timestamp)`);
    expect(query!.parameters).toEqual([
      { name: 'proposal_id', type: 'STRING', value: 'prop-42' },
      { name: 'status', type: 'STRING', value: 'implemented' },
      { name: 'actor', type: 'STRING', value: 'U123' },
      { name: 'detail', type: 'STRING', value: PLANTED },
      { name: 'timestamp', type: 'TIMESTAMP', value: '2026-03-08T09:30:00.125Z' },
    ]);
    expect(query!.maximumBytesBilled).toBe('20000000');
    expect(query!.labels?.operation).toBe('record_execution');
  });

  it('an optimization as a parameterized INSERT into performance.optimizations with FLOAT64 latencies', async () => {
    const { fake, warehouse } = await startHarness(
      { handler: answerBySql([['INSERT INTO', inserted]]) },
      { datasets: { metrics: 'perf' } },
    );
    await warehouse.recordOptimization({
      proposalId: 'prop-7',
      endpoint: '/api/orders',
      beforeP95Ms: 2150.5,
      afterP95Ms: 610,
      responseTimeReduction: 1540.5,
      timestamp: new Date('2026-03-09T00:00:00Z'),
    });
    const [query] = fake.queries;
    expect(query!.sql).toContain(
      `INSERT INTO \`${PROJECT}.perf.optimizations\` (proposal_id, endpoint, before_p95_ms, after_p95_ms, response_time_reduction, timestamp)`,
    );
    expect(query!.parameterValues).toEqual({
      proposal_id: 'prop-7',
      endpoint: '/api/orders',
      before_p95_ms: '2150.5',
      after_p95_ms: '610',
      response_time_reduction: '1540.5',
      timestamp: '2026-03-09T00:00:00.000Z',
    });
    expect(query!.parameters.filter((p) => p.type === 'FLOAT64').map((p) => p.name)).toEqual([
      'before_p95_ms',
      'after_p95_ms',
      'response_time_reduction',
    ]);
  });

  it('refuses a latency that is not a finite number before sending it', async () => {
    const { fake, warehouse } = await startHarness({ handler: answerBySql([['INSERT INTO', inserted]]) });
    await expect(
      warehouse.recordOptimization({
        proposalId: 'p',
        endpoint: '/a',
        beforeP95Ms: Number.NaN,
        afterP95Ms: 1,
        responseTimeReduction: 1,
        timestamp: new Date(),
      }),
    ).rejects.toThrow(/@before_p95_ms must be a finite number/);
    expect(fake.queries).toHaveLength(0);
  });

  it('a write the credentials may not make, as permission denied on the write-back table', async () => {
    const { warehouse } = await startHarness({
      handler: answerBySql([['INSERT INTO', fakeFailures.accessDenied(`${PROJECT}:ai_learning.agent_executions`)]]),
    });
    await expect(
      warehouse.recordExecution({ proposalId: 'p', status: 's', actor: 'a', detail: 'd', timestamp: new Date() }),
    ).rejects.toThrow(`permission denied writing to \`${PROJECT}.ai_learning.agent_executions\``);
  });
});
