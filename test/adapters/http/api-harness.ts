/**
 * A real API over real HTTP: the embedded store in a temp dir, real Decisions, the real cycle runner
 * with analyzers the test hands in, and a server on 127.0.0.1 port 0.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { Logger } from '../../../src/logging.ts';
import { createHttpApp, type HttpDeps } from '../../../src/adapters/http/http-app.ts';
import { createTemplateWriter } from '../../../src/adapters/llm/offline/template-writer.ts';
import { createEmbeddedStore } from '../../../src/adapters/store/embedded/embedded-store.ts';
import { runCycle } from '../../../src/cycle/run-cycle.ts';
import type { Analyzer } from '../../../src/ports/analyzer.ts';
import type { Executor } from '../../../src/ports/executor.ts';
import type { ProposalStore } from '../../../src/ports/store.ts';
import { createDecisions } from '../../../src/proposals/decisions.ts';

export const API_TOKEN = 'test-token-5f1c2a9e7b3d4c6a8e0f';

export interface ApiHarnessOptions {
  jobs?: HttpDeps['jobs'];
  schedulerEnabled?: boolean;
  tokens?: string[];
  analyzers?: Analyzer[];
  readiness?: HttpDeps['readiness'];
  /** An executor, or a maker of one given the harness's store. */
  executor?: Executor | ((store: ProposalStore) => Executor);
  logger?: Logger;
}

export interface ApiHarness {
  url: string;
  port: number;
  server: Server;
  store: ProposalStore;
  /** fetch with the right token unless `token` says otherwise (`null`: no Authorization header). */
  call(method: string, route: string, options?: CallOptions): Promise<ApiResponse>;
  close(): Promise<void>;
}

export interface CallOptions {
  token?: string | null;
  /** An object is sent as JSON; a string is sent as is with a JSON content type. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  body: any;
}

export async function startApi(options: ApiHarnessOptions = {}): Promise<ApiHarness> {
  const dir = await mkdtemp(path.join(tmpdir(), 'http-api-'));
  const store = createEmbeddedStore({ file: path.join(dir, 'store.sqlite') });
  const logger = options.logger ?? pino({ level: 'silent' });
  const executor = typeof options.executor === 'function' ? options.executor(store) : options.executor;
  const decisions = createDecisions({ store, logger, ...(executor ? { executor } : {}) });
  const analyzers = options.analyzers ?? [];
  const app = createHttpApp({
    store,
    decisions,
    apiTokens: options.tokens ?? [API_TOKEN],
    logger,
    analyzerNames: analyzers.map((a) => a.name),
    ...(options.readiness ? { readiness: options.readiness } : {}),
    ...(options.jobs ? { jobs: options.jobs } : {}),
    ...(options.schedulerEnabled !== undefined ? { schedulerEnabled: options.schedulerEnabled } : {}),
    async runCycle(cycle) {
      const report = await runCycle(cycle, {
        store,
        analyzers,
        writer: createTemplateWriter(),
        decisions,
        settings: { autoExecute: false, maxAutoFixesPerDay: 0, reproposeWorseningFactor: 1.5 },
        logger,
      });
      return { report };
    },
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(0, '127.0.0.1');
    s.once('listening', () => resolve(s));
    s.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;

  async function call(method: string, route: string, callOptions: CallOptions = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = { ...callOptions.headers };
    const token = callOptions.token === undefined ? API_TOKEN : callOptions.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    let body: string | undefined;
    if (callOptions.body !== undefined) {
      body = typeof callOptions.body === 'string' ? callOptions.body : JSON.stringify(callOptions.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(`${url}${route}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON: the test sees the text.
    }
    return { status: response.status, headers: response.headers, body: parsed };
  }

  return {
    url,
    port,
    server,
    store,
    call,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
