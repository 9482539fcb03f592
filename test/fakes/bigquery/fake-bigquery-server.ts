import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bigQueryFailure } from './bigquery-errors.ts';
import { defaultHandler, type FakeAnswer, type FakeHandler, type RecordedQuery } from './fake-answers.ts';
import { readJson, send, sendError, validBearer } from './http-json.ts';
import { decodeParameters, encodeRow, type WireParameter } from './wire-format.ts';

export { answerBySql, defaultHandler } from './fake-answers.ts';
export type { FakeAnswer, FakeHandler, FakePending, FakeResult, RecordedQuery } from './fake-answers.ts';

/**
 * A local BigQuery v2 REST server, enough of it for the official Node client: jobs.insert,
 * jobs.query, getQueryResults with pageToken paging, jobs.get and jobs.cancel. It records every
 * request and every query (SQL, typed parameters, maximumBytesBilled, job timeout, labels) and answers
 * from a handler the test supplies: a schema and rows, a BigQuery error, or a job that never ends.
 * Point the client at `url` with `apiEndpoint` and the credentials of fakeServiceAccount().
 */

export interface RecordedRequest {
  method: string;
  path: string;
  search: Record<string, string>;
  body: unknown;
  authorization?: string;
}

export interface FakeBigQueryOptions {
  handler?: FakeHandler;
  /** Rows per getQueryResults page (the client's maxResults may ask for fewer). Default 1,000. */
  pageSize?: number;
  /** When given, requests must carry a bearer JWT signed by this key (RS256), else 401. */
  publicKey?: string;
  /** How long a poll of an unfinished job is held before answering jobComplete: false. */
  pollDelayMs?: number;
}

export interface FakeBigQuery {
  /** The apiEndpoint to give the client, e.g. http://127.0.0.1:41234. */
  url: string;
  requests: RecordedRequest[];
  queries: RecordedQuery[];
  /** Job ids the client cancelled. */
  cancelled: string[];
  setHandler(handler: FakeHandler): void;
  close(): Promise<void>;
}

interface FakeJob {
  projectId: string;
  jobId: string;
  location: string;
  configuration: unknown;
  answer: FakeAnswer;
  pollsLeft: number;
  cancelled: boolean;
}

const PREFIX = /^\/bigquery\/v2\/projects\/([^/]+)\/(jobs|queries)(?:\/([^/]+))?(?:\/(cancel))?$/;

export async function startFakeBigQuery(options: FakeBigQueryOptions = {}): Promise<FakeBigQuery> {
  let handler: FakeHandler = options.handler ?? defaultHandler;
  const pageSize = options.pageSize ?? 1000;
  const pollDelayMs = options.pollDelayMs ?? 20;
  const requests: RecordedRequest[] = [];
  const queries: RecordedQuery[] = [];
  const cancelled: string[] = [];
  const jobs = new Map<string, FakeJob>();
  let jobCounter = 0;

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const body = await readJson(req);
    const authorization = req.headers.authorization;
    requests.push({ method: req.method ?? '', path: url.pathname, search: Object.fromEntries(url.searchParams), body, authorization });
    if (options.publicKey && !validBearer(authorization, options.publicKey)) {
      return sendError(res, bigQueryFailure(401, 'authError', 'Request had invalid authentication credentials.', 'UNAUTHENTICATED').error);
    }
    const match = PREFIX.exec(url.pathname);
    const [, projectId = '', collection, id, cancel] = match ?? [];
    if (req.method === 'POST' && collection === 'jobs' && !id) return insertJob(projectId, body as InsertBody, authorization, res);
    if (req.method === 'POST' && collection === 'queries' && !id) return runJobsQuery(projectId, body as QueryBody, authorization, res);
    if (req.method === 'GET' && collection === 'queries' && id) return queryResults(id, url.searchParams, res);
    if (req.method === 'GET' && collection === 'jobs' && id && !cancel) return withJob(id, res, (job) => send(res, 200, jobResource(job)));
    if (req.method === 'POST' && collection === 'jobs' && id && cancel) {
      return withJob(id, res, (job) => {
        job.cancelled = true;
        cancelled.push(job.jobId);
        send(res, 200, { kind: 'bigquery#jobCancelResponse', job: jobResource(job) });
      });
    }
    sendError(res, bigQueryFailure(404, 'notFound', `Not found: URL ${url.pathname}`, 'NOT_FOUND').error);
  }

  async function record(
    via: RecordedQuery['via'],
    projectId: string,
    jobId: string,
    config: QueryConfig,
    extra: Partial<RecordedQuery>,
  ): Promise<{ query: RecordedQuery; answer: FakeAnswer }> {
    const parameters = decodeParameters(config.queryParameters);
    const query: RecordedQuery = {
      via,
      projectId,
      jobId,
      sql: config.query ?? '',
      parameters,
      parameterValues: Object.fromEntries(parameters.map((p) => [p.name, p.value])),
      parameterMode: config.parameterMode,
      useLegacySql: config.useLegacySql,
      maximumBytesBilled: config.maximumBytesBilled === undefined ? undefined : String(config.maximumBytesBilled),
      ...extra,
    };
    queries.push(query);
    let answer: FakeAnswer;
    try {
      answer = await handler(query);
    } catch (error) {
      answer = bigQueryFailure(400, 'invalidQuery', `fake BigQuery handler failed: ${(error as Error).message}`, 'INVALID_ARGUMENT');
    }
    return { query, answer };
  }

  function newJob(projectId: string, jobId: string, location: string, configuration: unknown, answer: FakeAnswer): FakeJob {
    const job: FakeJob = {
      projectId,
      jobId,
      location,
      configuration,
      answer,
      pollsLeft: 'schema' in answer ? (answer.pendingPolls ?? 0) : 0,
      cancelled: false,
    };
    jobs.set(jobId, job);
    return job;
  }

  async function insertJob(projectId: string, body: InsertBody, authorization: string | undefined, res: ServerResponse) {
    const config = body.configuration?.query ?? {};
    const jobId = body.jobReference?.jobId ?? `fake_job_${++jobCounter}`;
    const location = body.jobReference?.location ?? 'US';
    const { answer } = await record('jobs.insert', projectId, jobId, config, {
      jobTimeoutMs: body.configuration?.jobTimeoutMs === undefined ? undefined : String(body.configuration.jobTimeoutMs),
      location: body.jobReference?.location,
      labels: body.configuration?.labels,
      authorization,
    });
    if ('error' in answer && answer.deliver !== 'job') return sendError(res, answer.error);
    send(res, 200, jobResource(newJob(projectId, jobId, location, body.configuration, answer)));
  }

  async function runJobsQuery(projectId: string, body: QueryBody, authorization: string | undefined, res: ServerResponse) {
    const jobId = `fake_query_${++jobCounter}`;
    const location = body.location ?? 'US';
    const { answer } = await record('jobs.query', projectId, jobId, body, { location: body.location, labels: body.labels, authorization });
    if ('error' in answer) return sendError(res, answer.error);
    const job = newJob(projectId, jobId, location, { query: body }, answer);
    const timestamps = body.formatOptions?.useInt64Timestamp ? 'int64' : 'float';
    send(res, 200, { ...page(job, 0, body.maxResults, timestamps), kind: 'bigquery#queryResponse' });
  }

  async function queryResults(jobId: string, search: URLSearchParams, res: ServerResponse) {
    const job = jobs.get(jobId);
    if (!job) return sendError(res, bigQueryFailure(404, 'notFound', `Not found: Job ${jobId}`, 'NOT_FOUND').error);
    if (job.cancelled)
      return sendError(
        res,
        bigQueryFailure(400, 'stopped', 'Job execution was cancelled: User requested cancellation', 'INVALID_ARGUMENT').error,
      );
    if ('error' in job.answer) return sendError(res, job.answer.error);
    if ('pending' in job.answer || job.pollsLeft > 0) {
      if (job.pollsLeft > 0) job.pollsLeft -= 1;
      await delay(pollDelayMs);
      return send(res, 200, { kind: 'bigquery#getQueryResultsResponse', jobReference: reference(job), jobComplete: false });
    }
    const offset = search.has('pageToken') ? decodePageToken(search.get('pageToken')!) : Number(search.get('startIndex') ?? 0);
    const maxResults = search.has('maxResults') ? Number(search.get('maxResults')) : undefined;
    const timestamps = search.get('formatOptions.useInt64Timestamp') === 'true' ? 'int64' : 'float';
    send(res, 200, page(job, offset, maxResults, timestamps));
  }

  function page(job: FakeJob, offset: number, maxResults: number | undefined, timestamps: 'int64' | 'float') {
    const reference_ = reference(job);
    if (!('schema' in job.answer) || job.pollsLeft > 0) return { jobReference: reference_, jobComplete: false };
    const result = job.answer;
    const rows = result.rows ?? [];
    const size = Math.min(pageSize, maxResults ?? pageSize);
    const end = Math.min(rows.length, offset + size);
    return {
      kind: 'bigquery#getQueryResultsResponse',
      etag: `"fake-${job.jobId}"`,
      jobReference: reference_,
      jobComplete: true,
      cacheHit: false,
      totalBytesProcessed: result.totalBytesProcessed ?? '0',
      totalRows: String(rows.length),
      ...(result.schema.length ? { schema: { fields: result.schema } } : {}),
      ...(result.schema.length ? { rows: rows.slice(offset, end).map((row) => encodeRow(result.schema, row, timestamps)) } : {}),
      ...(end < rows.length ? { pageToken: encodePageToken(end) } : {}),
      ...(result.numDmlAffectedRows !== undefined ? { numDmlAffectedRows: String(result.numDmlAffectedRows) } : {}),
    };
  }

  function withJob(jobId: string, res: ServerResponse, act: (job: FakeJob) => void) {
    const job = jobs.get(jobId);
    if (!job) return sendError(res, bigQueryFailure(404, 'notFound', `Not found: Job ${jobId}`, 'NOT_FOUND').error);
    act(job);
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: Error) =>
      sendError(res, bigQueryFailure(500, 'internalError', `fake BigQuery failed: ${error.message}`, 'INTERNAL').error),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    queries,
    cancelled,
    setHandler(next) {
      handler = next;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

interface QueryConfig {
  query?: string;
  queryParameters?: WireParameter[];
  parameterMode?: string;
  useLegacySql?: boolean;
  maximumBytesBilled?: string | number;
}

interface InsertBody {
  configuration?: { query?: QueryConfig; jobTimeoutMs?: string | number; labels?: Record<string, string> };
  jobReference?: { projectId?: string; jobId?: string; location?: string };
}

interface QueryBody extends QueryConfig {
  location?: string;
  labels?: Record<string, string>;
  maxResults?: number;
  formatOptions?: { useInt64Timestamp?: boolean };
}

function jobResource(job: FakeJob) {
  const failure = 'error' in job.answer ? job.answer.error : undefined;
  const running = !failure && !job.cancelled && ('pending' in job.answer || job.pollsLeft > 0);
  const status = running
    ? { state: 'RUNNING' }
    : failure
      ? { state: 'DONE', errorResult: failure.errors[0], errors: failure.errors }
      : { state: 'DONE' };
  return {
    kind: 'bigquery#job',
    id: `${job.projectId}:${job.location}.${job.jobId}`,
    jobReference: reference(job),
    configuration: job.configuration,
    status,
    statistics: { creationTime: String(Date.now()) },
  };
}

function reference(job: FakeJob) {
  return { projectId: job.projectId, jobId: job.jobId, location: job.location };
}

function encodePageToken(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64url');
}

function decodePageToken(token: string): number {
  const match = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64url').toString());
  return match ? Number(match[1]) : 0;
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
