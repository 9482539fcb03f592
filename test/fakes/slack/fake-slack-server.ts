// Bodies are Slack's JSON as the SDK sent it; `any` keeps assertions on nested Block Kit readable.
/**
 * A fake Slack Web API on loopback, speaking the wire format the official SDK speaks: POST
 * /api/<method> with a form or JSON body and a Bearer token, answering Slack's documented response
 * shapes. It records every call, checks Block Kit the way Slack refuses it (its own small checks,
 * independent of the app's limit code), can answer 429 with Retry-After or fail usergroups look-ups,
 * and records what is posted to response_url endpoints under /response/.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  method: string;
  body: Record<string, any>;
  token: string | undefined;
  at: number;
  /** What the fake answered (null for an HTTP error). */
  response?: Record<string, any> | null;
}

export interface FakeSlackOptions {
  teamId?: string;
  appId?: string;
  botUserId?: string;
  botId?: string;
  usergroups?: Record<string, string[]>;
}

type UsergroupFailure = 'http500' | 'ratelimited' | 'timeout' | null;

export interface FakeSlack {
  url: string;
  /** Base URL for SLACK_API_URL (ends with /api/). */
  apiUrl: string;
  identity: Required<Omit<FakeSlackOptions, 'usergroups'>>;
  calls(method?: string): RecordedCall[];
  responses(): { path: string; body: any }[];
  /** A message someone wrote in a thread (conversations.replies returns it with the app's own). */
  addThreadMessage(message: { channel: string; thread_ts: string; ts: string; user: string; text: string }): void;
  /** What files.uploadV2 sent, by file id. */
  uploaded(fileId: string): string | undefined;
  /** A response_url on this server. */
  responseUrl(name: string): string;
  /** The next `times` calls of `method` answer HTTP 429 with Retry-After. */
  rateLimit(method: string, retryAfterSeconds: number, times?: number): void;
  failUsergroups(mode: UsergroupFailure): void;
  setUsergroup(id: string, users: string[]): void;
  /** Answer apps.connections.open with this WebSocket URL (Socket Mode tests). */
  setSocketUrl(url: string): void;
  reset(): void;
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeSlack(options: FakeSlackOptions = {}): Promise<FakeSlack> {
  const identity = {
    teamId: options.teamId ?? 'T111',
    appId: options.appId ?? 'A111',
    botUserId: options.botUserId ?? 'UBOT111',
    botId: options.botId ?? 'B111',
  };
  const usergroups = new Map(Object.entries(options.usergroups ?? {}));
  let recorded: RecordedCall[] = [];
  let responded: { path: string; body: any }[] = [];
  const limits = new Map<string, { retryAfter: number; times: number }>();
  let usergroupFailure: UsergroupFailure = null;
  let socketUrl = 'ws://127.0.0.1:9/';
  let sequence = 0;
  const uploads = new Map<string, string>();
  /** Messages of threads, for conversations.replies: what the app posted in a thread, and what a test adds. */
  const threadMessages: { channel: string; thread_ts: string; ts: string; user?: string; bot_id?: string; text: string }[] = [];

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      res.writeHead(500).end(String(error));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readAll(req);
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname.startsWith('/upload/')) {
      // files.uploadV2's step 2: the bytes go to the URL files.getUploadURLExternal gave.
      uploads.set(url.pathname.slice('/upload/'.length), raw);
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`OK - ${raw.length}`);
      return;
    }
    if (url.pathname.startsWith('/response/')) {
      responded.push({ path: url.pathname, body: JSON.parse(raw || '{}') });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      return;
    }
    const method = url.pathname.replace(/^\/api\//, '');
    const body = parseBody(raw, req.headers['content-type']);
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : (body.token as string | undefined);
    const call: RecordedCall = { method, body, token, at: Date.now() };
    recorded.push(call);

    const limit = limits.get(method);
    if (limit && limit.times > 0) {
      limit.times -= 1;
      res
        .writeHead(429, { 'retry-after': String(limit.retryAfter), 'content-type': 'application/json' })
        .end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      return;
    }
    call.response = token ? await answer(method, body, res) : { ok: false, error: 'not_authed' };
    json(res, call.response);
  }

  async function answer(method: string, body: Record<string, any>, res: ServerResponse): Promise<Record<string, unknown> | null> {
    const ts = () => `${1_700_000_000 + (sequence += 1)}.000${String(sequence).padStart(3, '0')}`;
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://example.slack.com/',
          team: 'Example',
          user: 'improvement-loop',
          team_id: identity.teamId,
          user_id: identity.botUserId,
          bot_id: identity.botId,
          is_enterprise_install: false,
        };
      case 'bots.info':
        return {
          ok: true,
          bot: {
            id: body.bot,
            deleted: false,
            name: 'improvement-loop',
            updated: 1,
            app_id: identity.appId,
            user_id: identity.botUserId,
            icons: {},
          },
        };
      case 'chat.postMessage': {
        const problem = blockProblem(body.blocks, 'message') ?? (await imageProblem(body.blocks));
        if (problem) return { ok: false, error: problem };
        const at = ts();
        if (body.thread_ts)
          threadMessages.push({
            channel: body.channel,
            thread_ts: body.thread_ts,
            ts: at,
            user: identity.botUserId,
            bot_id: identity.botId,
            text: body.text ?? '',
          });
        return {
          ok: true,
          channel: body.channel,
          ts: at,
          message: {
            type: 'message',
            text: body.text,
            bot_id: identity.botId,
            ts: at,
            ...(body.thread_ts ? { thread_ts: body.thread_ts } : {}),
          },
        };
      }
      case 'chat.update': {
        const problem = blockProblem(body.blocks, 'message') ?? (await imageProblem(body.blocks));
        if (problem) return { ok: false, error: problem };
        return { ok: true, channel: body.channel, ts: body.ts, text: body.text, message: { text: body.text } };
      }
      case 'chat.getPermalink':
        if (!body.channel || !body.message_ts) return { ok: false, error: 'invalid_arguments' };
        return {
          ok: true,
          channel: body.channel,
          permalink: `https://example.slack.com/archives/${body.channel}/p${String(body.message_ts).replace('.', '')}`,
        };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: ts() };
      case 'views.open':
      case 'views.publish': {
        const view = typeof body.view === 'string' ? JSON.parse(body.view) : body.view;
        const problem = blockProblem(view?.blocks, 'view');
        if (problem) return { ok: false, error: problem };
        return {
          ok: true,
          view: {
            id: `V${(sequence += 1)}`,
            team_id: identity.teamId,
            type: view?.type,
            blocks: view?.blocks,
            private_metadata: view?.private_metadata ?? '',
            callback_id: view?.callback_id ?? '',
            state: { values: {} },
            hash: `${Date.now()}.abc`,
            app_id: identity.appId,
            bot_id: identity.botId,
          },
        };
      }
      case 'usergroups.users.list': {
        if (usergroupFailure === 'http500') {
          res.writeHead(500).end('internal error');
          return null;
        }
        if (usergroupFailure === 'ratelimited') return { ok: false, error: 'ratelimited' };
        if (usergroupFailure === 'timeout') {
          await new Promise((resolve) => setTimeout(resolve, 5000));
          return { ok: false, error: 'fatal_error' };
        }
        const users = usergroups.get(body.usergroup);
        return users ? { ok: true, users } : { ok: false, error: 'no_such_subteam' };
      }
      case 'assistant.threads.setStatus':
      case 'assistant.threads.setTitle':
      case 'assistant.threads.setSuggestedPrompts':
        if (!body.channel_id || !body.thread_ts) return { ok: false, error: 'invalid_arguments' };
        return { ok: true };
      case 'conversations.replies': {
        const messages = threadMessages.filter((m) => m.channel === body.channel && m.thread_ts === body.ts);
        return { ok: true, messages: messages.slice(0, Number(body.limit ?? 1000)), has_more: false };
      }
      case 'chat.getPermalink':
        return {
          ok: true,
          channel: body.channel,
          permalink: `https://example.slack.com/archives/${body.channel}/p${String(body.message_ts).replace('.', '')}`,
        };
      case 'files.getUploadURLExternal': {
        const fileId = `F${(sequence += 1)}`;
        return { ok: true, upload_url: `${url}/upload/${fileId}`, file_id: fileId };
      }
      case 'files.completeUploadExternal': {
        const files = typeof body.files === 'string' ? JSON.parse(body.files) : body.files;
        return { ok: true, files: files.map((f: { id: string; title?: string }) => ({ id: f.id, title: f.title ?? '' })) };
      }
      case 'apps.connections.open':
        return { ok: true, url: socketUrl };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  function json(res: ServerResponse, body: Record<string, unknown> | null): void {
    if (body === null || res.headersSent) return;
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    apiUrl: `${url}/api/`,
    identity,
    calls: (method) => recorded.filter((c) => !method || c.method === method),
    responses: () => responded,
    uploaded: (fileId) => uploads.get(fileId),
    addThreadMessage: (message) => void threadMessages.push(message),
    responseUrl: (name) => `${url}/response/${name}`,
    rateLimit(method, retryAfter, times = 1) {
      limits.set(method, { retryAfter, times });
    },
    failUsergroups(mode) {
      usergroupFailure = mode;
    },
    setUsergroup(id, users) {
      usergroups.set(id, users);
    },
    setSocketUrl(next) {
      socketUrl = next;
    },
    reset() {
      recorded = [];
      responded = [];
      limits.clear();
      usergroupFailure = null;
    },
    async waitFor(predicate, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (!predicate()) {
        if (Date.now() > deadline) throw new Error('fake Slack: condition not met in time');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function readAll(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The SDK sends forms with JSON-encoded nested values (blocks, view); decode them back. */
function parseBody(raw: string, contentType: string | undefined): Record<string, any> {
  if (contentType?.includes('application/json')) return JSON.parse(raw || '{}');
  const out: Record<string, any> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    out[key] = /^[[{]/.test(value) ? safeJson(value) : value;
  }
  return out;
}

function safeJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/** What Slack fetched for image blocks (URL, status, content type), for tests to look at. */
export const fetchedImages: { url: string; status: number; contentType: string | null }[] = [];

/**
 * Slack downloads an image block's image_url before it accepts the message, and refuses the whole
 * message (invalid_blocks, "downloading image failed") when it cannot, or when it is not PNG, JPEG or GIF.
 */
async function imageProblem(blocks: unknown): Promise<string | null> {
  if (!Array.isArray(blocks)) return null;
  for (const block of blocks as any[]) {
    if (block.type !== 'image') continue;
    if (typeof block.image_url !== 'string' || !/^https?:\/\//.test(block.image_url) || !block.alt_text) return 'invalid_blocks';
    try {
      const res = await fetch(block.image_url, { signal: AbortSignal.timeout(3000) });
      const contentType = res.headers.get('content-type');
      fetchedImages.push({ url: block.image_url, status: res.status, contentType });
      const bytes = Buffer.from(await res.arrayBuffer());
      if (!res.ok || !/^image\/(png|jpeg|gif)$/.test(contentType ?? '') || bytes.length === 0) return 'invalid_blocks';
    } catch {
      fetchedImages.push({ url: block.image_url, status: 0, contentType: null });
      return 'invalid_blocks';
    }
  }
  return null;
}

/** Slack's refusals of Block Kit, as documented; written apart from the app's own limit code on purpose. */
function blockProblem(blocks: unknown, surface: 'message' | 'view'): string | null {
  if (blocks === undefined) return null;
  if (!Array.isArray(blocks)) return 'invalid_blocks_format';
  if (blocks.length > (surface === 'message' ? 50 : 100)) return 'invalid_blocks';
  if (surface === 'message' && JSON.stringify(blocks).length > 13_000) return 'msg_blocks_too_long';
  for (const block of blocks as any[]) {
    if (block.type === 'header' && block.text?.text?.length > 150) return 'invalid_blocks';
    if (block.type === 'section') {
      if (block.text?.text?.length > 3000) return 'invalid_blocks';
      if ((block.fields?.length ?? 0) > 10) return 'invalid_blocks';
      if (block.fields?.some((f: any) => f.text.length > 2000)) return 'invalid_blocks';
      if (!block.text && !block.fields?.length) return 'invalid_blocks';
    }
    if (block.type === 'actions') {
      if (block.elements.length > 25) return 'invalid_blocks';
      for (const e of block.elements) {
        if (e.value?.length > 2000 || e.text?.text?.length > 75 || e.action_id?.length > 255) return 'invalid_blocks';
      }
    }
    if (block.block_id?.length > 255) return 'invalid_blocks';
  }
  return null;
}
