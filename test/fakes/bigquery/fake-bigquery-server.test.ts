import { BigQuery } from '@google-cloud/bigquery';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeServiceAccount } from './fake-credentials.ts';
import { answerBySql, startFakeBigQuery, type FakeBigQuery } from './fake-bigquery-server.ts';

const PROJECT = 'fake-check-project';
const account = fakeServiceAccount(PROJECT);
const servers: FakeBigQuery[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(options: Parameters<typeof startFakeBigQuery>[0] = {}) {
  const fake = await startFakeBigQuery({ publicKey: account.publicKey, ...options });
  servers.push(fake);
  const client = new BigQuery({ projectId: PROJECT, apiEndpoint: fake.url, credentials: account.credentials, autoRetry: false });
  return { fake, client };
}

const schema = [
  { name: 'n', type: 'INTEGER' as const },
  { name: 'at', type: 'TIMESTAMP' as const },
  { name: 'doc', type: 'JSON' as const },
];
const rows = Array.from({ length: 5 }, (_, i) => [i, new Date(Date.UTC(2026, 0, 1, 0, 0, i)), { i }]);

describe('the fake BigQuery server', () => {
  it("answers the official client's jobs.query path, paging the rest with getQueryResults", async () => {
    const { fake, client } = await start({ pageSize: 2, handler: answerBySql([['FROM t', { schema, rows }]]) });
    const [result] = await client.query({ query: 'SELECT n, at, doc FROM t WHERE n IN UNNEST(@ns)', params: { ns: [1, 2] } });
    expect(result.map((r: { n: number }) => r.n)).toEqual([0, 1, 2, 3, 4]);
    expect(result[1].at.value).toBe('2026-01-01T00:00:01.000Z');
    expect(result[1].doc).toBe('{"i":1}');
    expect(fake.queries[0]).toMatchObject({
      via: 'jobs.query',
      sql: 'SELECT n, at, doc FROM t WHERE n IN UNNEST(@ns)',
      parameterMode: 'named',
    });
    expect(fake.queries[0]!.parameters).toEqual([{ name: 'ns', type: 'ARRAY<INT64>', value: [1, 2] }]);
    expect(fake.requests.map((r) => `${r.method} ${r.path.replace(/[^/]+$/, ':id')}`)).toEqual([
      `POST /bigquery/v2/projects/${PROJECT}/:id`,
      `GET /bigquery/v2/projects/${PROJECT}/queries/:id`,
      `GET /bigquery/v2/projects/${PROJECT}/queries/:id`,
    ]);
  });

  it("answers the jobs.insert path the client takes for a job with a timeout, recording the job's settings", async () => {
    const { fake, client } = await start({ handler: answerBySql([['FROM t', { schema, rows }]]) });
    const [job] = await client.createQueryJob({
      query: 'SELECT n FROM t',
      jobTimeoutMs: 9000,
      maximumBytesBilled: '1000',
      labels: { team: 'loop' },
    });
    const [result] = await job.getQueryResults();
    expect(result).toHaveLength(5);
    expect(fake.queries[0]).toMatchObject({
      via: 'jobs.insert',
      jobTimeoutMs: '9000',
      maximumBytesBilled: '1000',
      labels: { team: 'loop' },
    });
  });

  it('speaks the REST wire format: {f:[{v}]} cells, int64 or float-second timestamps as asked', async () => {
    const { fake } = await start({ publicKey: undefined, handler: answerBySql([['FROM t', { schema, rows: rows.slice(0, 1) }]]) });
    const insert = await fetch(`${fake.url}/bigquery/v2/projects/${PROJECT}/jobs`, {
      method: 'POST',
      body: JSON.stringify({ jobReference: { jobId: 'j1' }, configuration: { query: { query: 'SELECT * FROM t', useLegacySql: false } } }),
    });
    expect(await insert.json()).toMatchObject({
      jobReference: { projectId: PROJECT, jobId: 'j1', location: 'US' },
      status: { state: 'DONE' },
    });
    const read = async (search: string) =>
      (await (await fetch(`${fake.url}/bigquery/v2/projects/${PROJECT}/queries/j1${search}`)).json()) as { rows: unknown[] };
    expect((await read('?formatOptions.useInt64Timestamp=true')).rows).toEqual([
      { f: [{ v: '0' }, { v: '1767225600000000' }, { v: '{"i":0}' }] },
    ]);
    expect((await read('')).rows).toEqual([{ f: [{ v: '0' }, { v: '1.7672256E9' }, { v: '{"i":0}' }] }]);
  });

  it('refuses a request without a JWT signed by the expected key, in BigQuery error format', async () => {
    const { fake } = await start();
    const response = await fetch(`${fake.url}/bigquery/v2/projects/${PROJECT}/queries`, { method: 'POST', body: '{"query":"SELECT 1"}' });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 401, status: 'UNAUTHENTICATED', errors: [{ reason: 'authError' }] } });
    expect(fake.queries).toHaveLength(0);
  });

  it('names a query it has no answer for', async () => {
    const { client } = await start();
    await expect(client.query('SELECT nothing FROM nowhere')).rejects.toThrow(
      /fake BigQuery has no answer for: SELECT nothing FROM nowhere/,
    );
    const [ping] = await client.query('SELECT 1');
    expect(ping).toEqual([{ f0_: 1 }]);
  });
});
