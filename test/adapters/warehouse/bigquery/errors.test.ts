import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { createBigQueryWarehouse } from '../../../../src/adapters/warehouse/bigquery/bigquery-warehouse.ts';
import { BigQueryWarehouseError } from '../../../../src/adapters/warehouse/bigquery/warehouse-error.ts';
import { fakeFailures } from '../../../fakes/bigquery/bigquery-errors.ts';
import { fakeServiceAccount } from '../../../fakes/bigquery/fake-credentials.ts';
import { answerBySql, startFakeBigQuery } from '../../../fakes/bigquery/fake-bigquery-server.ts';
import { closeHarnesses, PROJECT, startHarness, testAccount, WINDOW } from './harness.ts';

afterEach(closeHarnesses);

async function failure(promise: Promise<unknown>): Promise<BigQueryWarehouseError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BigQueryWarehouseError);
  return error as BigQueryWarehouseError;
}

describe('the BigQuery warehouse reports failures clearly', () => {
  it('permission denied, naming the table and the roles to grant', async () => {
    const { warehouse } = await startHarness({
      handler: answerBySql([['error_logs', fakeFailures.accessDenied(`${PROJECT}:logs.error_logs`)]]),
    });
    const error = await failure(warehouse.errorMessages(WINDOW, 10));
    expect(error.kind).toBe('permission_denied');
    expect(error.status).toBe(403);
    expect(error.reason).toBe('accessDenied');
    expect(error.message).toContain(`permission denied reading \`${PROJECT}.logs.error_logs\``);
    expect(error.message).toMatch(/Job User role on project loop-test-project/);
  });

  it('not found, naming the table and the location', async () => {
    const { warehouse } = await startHarness(
      { handler: answerBySql([['customer_interactions', fakeFailures.notFound(`${PROJECT}:ai_learning.customer_interactions`, 'EU')]]) },
      { location: 'EU' },
    );
    const error = await failure(warehouse.interactionStats(WINDOW));
    expect(error.kind).toBe('not_found');
    expect(error.message).toContain(`not found while reading \`${PROJECT}.ai_learning.customer_interactions\``);
    expect(error.message).toContain('in location EU');
    expect(error.message).toContain('Not found: Table loop-test-project:ai_learning.customer_interactions was not found in location EU');
  });

  it('the bytes-billed limit, with the configured maximum', async () => {
    const { warehouse } = await startHarness(
      { handler: answerBySql([['api_metrics', fakeFailures.bytesBilledLimitExceeded('10485760', '73400320')]]) },
      { maximumBytesBilled: '10485760' },
    );
    const error = await failure(warehouse.endpointStats(WINDOW));
    expect(error.kind).toBe('bytes_billed_limit');
    expect(error.message).toContain('would bill more than the configured maximum of 10485760 bytes');
    expect(error.message).toContain('73400320 or higher required');
  });

  it('a failure found while the job runs (a DONE job carrying the error) the same way', async () => {
    const { warehouse } = await startHarness({
      handler: answerBySql([['api_metrics', { ...fakeFailures.accessDenied(`${PROJECT}:performance.api_metrics`), deliver: 'job' }]]),
    });
    const error = await failure(warehouse.endpointSeries(WINDOW, 'day', []));
    expect(error.kind).toBe('permission_denied');
    expect(error.message).toContain(`\`${PROJECT}.performance.api_metrics\``);
  });

  it('a job BigQuery stopped at its timeout', async () => {
    const { warehouse } = await startHarness(
      { handler: answerBySql([['api_metrics', fakeFailures.jobTimeout(5)]]) },
      { jobTimeoutMs: 5000 },
    );
    const error = await failure(warehouse.endpointStats(WINDOW));
    expect(error.kind).toBe('timeout');
    expect(error.message).toContain('did not finish within 5000 ms');
  });

  it('a job that never finishes: gives up shortly after the job timeout and cancels the job', async () => {
    const { fake, warehouse } = await startHarness({ handler: answerBySql([['api_metrics', { pending: true }]]) }, { jobTimeoutMs: 300 });
    const started = Date.now();
    const error = await failure(warehouse.endpointStats(WINDOW));
    const elapsed = Date.now() - started;
    expect(error.kind).toBe('timeout');
    expect(elapsed).toBeGreaterThanOrEqual(300);
    expect(elapsed).toBeLessThan(3000);
    await expect.poll(() => fake.cancelled).toEqual([fake.queries[0]!.jobId]);
  });

  it('credentials the server does not accept as unauthenticated', async () => {
    const stranger = fakeServiceAccount(PROJECT);
    const fake = await startFakeBigQuery({ publicKey: testAccount().publicKey });
    const warehouse = createBigQueryWarehouse({ projectId: PROJECT, apiEndpoint: fake.url, credentials: stranger.credentials });
    try {
      const error = await failure(warehouse.ping());
      expect(error.kind).toBe('unauthenticated');
      expect(error.status).toBe(401);
    } finally {
      await fake.close();
    }
  });

  it('an endpoint nobody answers on as unavailable', async () => {
    const fake = await startFakeBigQuery();
    const url = fake.url;
    await fake.close(); // the port is now closed: connections are refused
    const warehouse = createBigQueryWarehouse({
      projectId: PROJECT,
      apiEndpoint: url,
      credentials: testAccount().credentials,
      maxRetries: 0,
    });
    const error = await failure(warehouse.ping());
    expect(error.kind).toBe('unavailable');
    expect(error.message).toMatch(/could not be reached, or failed, while pinging project loop-test-project .*ECONNREFUSED/);
  });

  it('never a token or key in the error, even when the server echoes them', async () => {
    let echoed = '';
    const { warehouse } = await startHarness({
      handler: (query) => {
        echoed = `${query.authorization} ${testAccount().privateKey}`;
        return fakeFailures.invalidQuery(`Syntax error near ${echoed} access_token=ya29.secret`);
      },
    });
    const error = await failure(warehouse.ping());
    const token = echoed.split(' ')[1]!;
    const keyBody = testAccount().privateKey.split('\n')[5]!;
    for (const shown of [error.message, inspect(error, { depth: 10 }), JSON.stringify(error), String(error.stack)]) {
      expect(shown).not.toContain(token);
      expect(shown).not.toContain(token.split('.')[2]!);
      expect(shown).not.toContain(keyBody);
      expect(shown).not.toContain('ya29.secret');
    }
    expect(error.message).toContain('Bearer [redacted]');
    expect(error.kind).toBe('invalid_query');
  });

  it('a closed warehouse refuses to start new jobs', async () => {
    const { fake, warehouse } = await startHarness();
    await warehouse.close();
    const error = await failure(warehouse.ping());
    expect(error.kind).toBe('closed');
    expect(fake.requests).toHaveLength(0);
  });
});

describe('the BigQuery warehouse refuses at construction', () => {
  const base = { projectId: PROJECT, apiEndpoint: 'http://127.0.0.1:9', credentials: testAccount().credentials };
  const refusals: [string, Record<string, unknown>, RegExp][] = [
    [
      'a dataset name that would inject SQL',
      { datasets: { logs: 'logs.error_logs`; DROP TABLE ai_learning.customer_interactions; --' } },
      /datasets\.logs .* is not a BigQuery dataset name/,
    ],
    ['a dataset name with a backtick', { datasets: { interactions: 'ai_learning`' } }, /datasets\.interactions/],
    ['a dataset name with a dot', { datasets: { metrics: 'other_project.performance' } }, /datasets\.metrics/],
    ['an empty dataset name', { datasets: { metrics: '' } }, /datasets\.metrics/],
    ['a project id with a backtick', { projectId: 'loop-test`; DROP TABLE x; --' }, /projectId .* is not a BigQuery project id/],
    ['an upper-case project id', { projectId: 'Loop-Test-Project' }, /projectId/],
    ['a location with spaces', { location: 'US; DROP' }, /location .* is not a BigQuery location/],
    ['a maximumBytesBilled in scientific notation', { maximumBytesBilled: '1e9' }, /maximumBytesBilled must be a whole number of bytes/],
    ['a zero job timeout', { jobTimeoutMs: 0 }, /jobTimeoutMs must be a positive whole number/],
  ];
  it.each(refusals)('%s', (_name, override, message) => {
    let thrown: unknown;
    try {
      createBigQueryWarehouse({ ...base, ...override } as Parameters<typeof createBigQueryWarehouse>[0]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(BigQueryWarehouseError);
    expect((thrown as BigQueryWarehouseError).kind).toBe('invalid_configuration');
    expect((thrown as Error).message).toMatch(message);
  });

  it('accepts the seed names, domain-scoped projects and regional locations', () => {
    expect(() =>
      createBigQueryWarehouse({ ...base, projectId: 'example.com:loop-prod', location: 'europe-west1', datasets: { logs: 'Logs_2026' } }),
    ).not.toThrow();
  });

  it('an unknown bucket before any job starts', async () => {
    const { fake, warehouse } = await startHarness();
    await expect(warehouse.endpointSeries(WINDOW, 'week' as 'day', [])).rejects.toThrow(/bucket must be "hour" or "day"/);
    await expect(warehouse.endpointSeries(WINDOW, 'toString' as 'day', [])).rejects.toThrow(/bucket must be "hour" or "day"/);
    expect(fake.queries).toHaveLength(0);
  });
});
