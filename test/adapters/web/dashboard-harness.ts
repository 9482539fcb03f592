/**
 * The dashboard inside the real HTTP app over real HTTP: the embedded store in a temp dir, real
 * Decisions, createHttpApp with the dashboard as a surface, on 127.0.0.1 port 0.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createHttpApp } from '../../../src/adapters/http/http-app.ts';
import { createEmbeddedStore } from '../../../src/adapters/store/embedded/embedded-store.ts';
import { createDashboard, type DashboardDeps } from '../../../src/adapters/web/dashboard.ts';
import { silentLogger } from '../../../src/logging.ts';
import type { Executor } from '../../../src/ports/executor.ts';
import type { ProposalStore } from '../../../src/ports/store.ts';
import { createDecisions } from '../../../src/proposals/decisions.ts';
import { makeStoreDir } from '../../helpers/embedded.ts';
import { squeezed } from './squeeze.ts';

export const TOKEN = 'dashboard-test-token-8c1e5b2a9f047d36';

export interface DashboardHarness {
  url: string;
  store: ProposalStore;
  close(): Promise<void>;
}

export async function startDashboard(
  options: {
    https?: { key: string; cert: string };
    tokens?: string[];
    executor?: Executor;
    warehouse?: DashboardDeps['warehouse'];
    telemetryTimeoutMs?: number;
    now?: () => Date;
    storeNow?: () => Date;
    refreshSeconds?: number;
    tokenSource?: string;
    /** Another harness's store (the Slack harness's), so both surfaces show the same proposals. */
    store?: ProposalStore;
    codeHost?: DashboardDeps['codeHost'];
    slackPermalink?: DashboardDeps['slackPermalink'];
    chartImages?: DashboardDeps['chartImages'];
  } = {},
): Promise<DashboardHarness> {
  const dir = await makeStoreDir();
  const store = options.store ?? createEmbeddedStore({ file: dir.file, ...(options.storeNow ? { now: options.storeNow } : {}) });
  const logger = silentLogger();
  const decisions = createDecisions({ store, logger, ...(options.executor ? { executor: options.executor } : {}) });
  const apiTokens = options.tokens ?? [TOKEN];
  const dashboard = createDashboard({
    store,
    decisions,
    apiTokens,
    sessionHours: 12,
    logger,
    ...(options.warehouse ? { warehouse: options.warehouse } : {}),
    ...(options.telemetryTimeoutMs !== undefined ? { telemetryTimeoutMs: options.telemetryTimeoutMs } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.refreshSeconds !== undefined ? { refreshSeconds: options.refreshSeconds } : {}),
    ...(options.tokenSource !== undefined ? { tokenSource: options.tokenSource } : {}),
    ...(options.codeHost ? { codeHost: options.codeHost } : {}),
    ...(options.slackPermalink ? { slackPermalink: options.slackPermalink } : {}),
    ...(options.chartImages ? { chartImages: options.chartImages } : {}),
  });
  const app = createHttpApp({
    store,
    decisions,
    apiTokens,
    logger,
    surfaces: [dashboard],
    async runCycle() {
      throw new Error('no cycles in dashboard tests');
    },
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = options.https ? createHttpsServer(options.https, app).listen(0, '127.0.0.1') : app.listen(0, '127.0.0.1');
    s.once('listening', () => resolve(s));
    s.once('error', reject);
  });
  const url = `${options.https ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    store,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (!options.store) await store.close();
      await dir.remove();
    },
  };
}

/**
 * A browser without the browser: a cookie jar of one cookie, forms posted as a browser posts them.
 * `text` is the body as `squeezed` markup.
 */
export class PlainClient {
  cookie: string | undefined;
  /** The sign-in form's cookie, kept apart from the session so tests can forge the session alone. */
  loginCookie: string | undefined;
  constructor(readonly url: string) {}

  private cookieHeader(): Record<string, string> {
    const all = [this.cookie, this.loginCookie].filter(Boolean).join('; ');
    return all ? { cookie: all } : {};
  }

  /** Opens the sign-in page as a browser would and returns its form token. */
  async loginForm(): Promise<{ login: string }> {
    const res = await fetch(this.url + '/login', { redirect: 'manual' });
    const text = await res.text();
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('il_login='));
    if (setCookie) this.loginCookie = setCookie.split(';', 1)[0];
    const login = /name="login" value="([^"]+)"/.exec(text)?.[1];
    if (!login) throw new Error('no sign-in form token on the page');
    return { login };
  }

  async get(path: string): Promise<{ status: number; text: string; headers: Headers }> {
    const res = await fetch(this.url + path, { redirect: 'manual', headers: this.cookieHeader() });
    return { status: res.status, text: squeezed(await res.text()), headers: res.headers };
  }

  async post(
    path: string,
    fields: Record<string, string>,
    extraHeaders: Record<string, string> = {},
  ): Promise<{ status: number; text: string; headers: Headers; location: string | null }> {
    const res = await fetch(this.url + path, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...this.cookieHeader(), ...extraHeaders },
      body: new URLSearchParams(fields).toString(),
    });
    return { status: res.status, text: squeezed(await res.text()), headers: res.headers, location: res.headers.get('location') };
  }

  async signIn(token: string): Promise<{ status: number; text: string; headers: Headers; location: string | null }> {
    const res = await this.post('/login', { token, next: '/proposals', ...(await this.loginForm()) });
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('il_session='));
    if (setCookie) this.cookie = setCookie.split(';', 1)[0];
    return res;
  }
}

/** The hidden fields of the decision form for `action` on a rendered detail page. */
export function formFields(page: string, action: string): Record<string, string> {
  const form = new RegExp(`<form class="decision decision-${action}"[\\s\\S]*?</form>`).exec(page)?.[0];
  if (!form) throw new Error(`no ${action} form on the page`);
  const fields: Record<string, string> = {};
  for (const m of form.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)" ?\/?>/g)) fields[m[1]!] = m[2]!;
  return fields;
}
