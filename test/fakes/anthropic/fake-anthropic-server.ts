import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { validateMessagesRequest } from './validate-request.ts';

/**
 * A stand-in for the Anthropic Messages API at the wire: `POST /v1/messages` on 127.0.0.1, with the
 * real request checks (API key, anthropic-version, required fields, tool_use/tool_result pairing,
 * what API version 2026-10-21 refuses), the real response and error shapes, and prompt-cache accounting. Tests point the official SDK at it through `baseURL`,
 * script its replies one by one, and read back every request it received.
 */

export interface WireUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

interface ReplyTiming {
  /** Wait this long before answering (the request counts as in flight meanwhile). */
  delayMs?: number;
  headers?: Record<string, string>;
}

export type ScriptedReply =
  /** Claude calls a tool (submit_proposal unless `name` says otherwise) with this input. */
  | (ReplyTiming & { toolUse: unknown; name?: string; text?: string; usage?: Partial<WireUsage>; stopReason?: string })
  /** Claude answers in prose and calls no tool. */
  | (ReplyTiming & { text: string; usage?: Partial<WireUsage>; stopReason?: string })
  /** An API error: `{ type: 'error', error: { type, message } }` with this status. */
  | (ReplyTiming & { error: { status: number; type: string; message?: string } })
  /** Anything else on the wire, e.g. an HTML page from a broken proxy. */
  | (ReplyTiming & { raw: { status: number; body: string; contentType?: string } });

export interface RecordedRequest {
  method: string;
  path: string;
  /** Lower-case names, as Node gives them. */
  headers: Record<string, string>;
  /** The key the client sent, from `Authorization: Bearer` or `x-api-key`. */
  apiKey: string | undefined;
  /** The parsed JSON body, or undefined when it was not JSON. */
  body: any;
  rawBody: string;
  receivedAt: number;
}

export interface FakeAnthropic {
  baseURL: string;
  requests: RecordedRequest[];
  /** Replies used in order, one per request that passes validation. */
  enqueue(...replies: ScriptedReply[]): void;
  /** Answers requests once the queue is empty (default: a 500 saying nothing was scripted). */
  setResponder(responder: (request: RecordedRequest) => ScriptedReply): void;
  readonly inFlight: number;
  readonly maxInFlight: number;
  close(): Promise<void>;
}

export interface FakeAnthropicOptions {
  /** When set, any other x-api-key gets a 401 authentication_error. */
  apiKey?: string;
}

export async function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
  const requests: RecordedRequest[] = [];
  const queue: ScriptedReply[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const cachedPrefixes = new Set<string>();
  let responder: (request: RecordedRequest) => ScriptedReply = () => ({
    error: { status: 500, type: 'api_error', message: 'fake-anthropic: no reply was scripted for this request' },
  });
  let inFlight = 0;
  let maxInFlight = 0;
  let messageCount = 0;

  const server = createServer((req, res) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    // Out of flight once the reply is handed to the socket ('finish'), or the client went away ('close').
    let counted = true;
    const done = () => {
      if (counted) inFlight -= 1;
      counted = false;
    };
    res.on('finish', done);
    res.on('close', done);
    void handle(req, res);
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawBody = await readBody(req);
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]));
    let body: any;
    try {
      body = rawBody ? JSON.parse(rawBody) : undefined;
    } catch {
      body = undefined;
    }
    // API version 2023-06-01 clients send the key as x-api-key; 2026-10-21 clients (SDK 1.x) as a bearer token.
    const bearer = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '')?.[1];
    const apiKey = headers['x-api-key'] || bearer || undefined;
    const recorded: RecordedRequest = {
      method: req.method ?? '',
      path: req.url ?? '',
      headers,
      apiKey,
      body,
      rawBody,
      receivedAt: Date.now(),
    };
    requests.push(recorded);

    if (recorded.method !== 'POST' || recorded.path.split('?')[0] !== '/v1/messages') {
      return sendError(res, 404, 'not_found_error', `${recorded.method} ${recorded.path}: not found`);
    }
    if (!recorded.apiKey)
      return sendError(res, 401, 'authentication_error', 'an API key is required (Authorization: Bearer, or x-api-key)');
    if (options.apiKey !== undefined && recorded.apiKey !== options.apiKey) {
      return sendError(res, 401, 'authentication_error', 'invalid API key');
    }
    if (!headers['anthropic-version']) return sendError(res, 400, 'invalid_request_error', 'anthropic-version: header is required');
    if (body === undefined) return sendError(res, 400, 'invalid_request_error', 'The request body is not valid JSON.');
    const problem = validateMessagesRequest(body, headers['anthropic-version']);
    if (problem) return sendError(res, 400, 'invalid_request_error', problem);

    const reply = queue.shift() ?? responder(recorded);
    if (reply.delayMs) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, reply.delayMs);
        timers.add(timer);
      });
    }
    if (res.destroyed) return;
    const extra = reply.headers ?? {};
    if ('error' in reply) return sendError(res, reply.error.status, reply.error.type, reply.error.message ?? reply.error.type, extra);
    if ('raw' in reply) {
      res.writeHead(reply.raw.status, { 'content-type': reply.raw.contentType ?? 'text/html', ...extra });
      res.end(reply.raw.body);
      return;
    }
    messageCount += 1;
    const content: unknown[] = [];
    if (reply.text !== undefined) content.push({ type: 'text', text: reply.text, citations: null });
    if ('toolUse' in reply) {
      const name = reply.name ?? body.tools?.[0]?.name ?? 'submit_proposal';
      content.push({ type: 'tool_use', id: `toolu_fake_${String(messageCount).padStart(4, '0')}`, name, input: reply.toolUse });
    }
    const message = {
      id: `msg_fake_${String(messageCount).padStart(4, '0')}`,
      type: 'message',
      role: 'assistant',
      model: body.model,
      content,
      stop_reason: reply.stopReason ?? ('toolUse' in reply ? 'tool_use' : 'end_turn'),
      stop_sequence: null,
      usage: { ...estimateUsage(body, cachedPrefixes), ...reply.usage },
    };
    res.writeHead(200, { 'content-type': 'application/json', 'request-id': `req_fake_${messageCount}`, ...extra });
    res.end(JSON.stringify(message));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}`,
    requests,
    enqueue: (...replies) => void queue.push(...replies),
    setResponder(next) {
      responder = next;
    },
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendError(res: ServerResponse, status: number, type: string, message: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': 'req_fake_error', ...headers });
  res.end(JSON.stringify({ type: 'error', error: { type, message }, request_id: 'req_fake_error' }));
}

/**
 * Token counts shaped like the real ones: about four characters a token; with a cache_control
 * breakpoint on the system prompt, the tools + system prefix is written to the cache the first
 * time and read from it afterwards (and then not counted in input_tokens, as in the real API).
 */
function estimateUsage(body: any, cachedPrefixes: Set<string>): WireUsage {
  const tokens = (value: unknown) => Math.ceil(JSON.stringify(value ?? '').length / 4);
  const system = body.system;
  const cacheable = Array.isArray(system) && system.some((block: any) => block?.cache_control?.type === 'ephemeral');
  const prefix = JSON.stringify([body.tools ?? [], system ?? '']);
  const prefixTokens = Math.ceil(prefix.length / 4);
  const messageTokens = tokens(body.messages);
  if (!cacheable)
    return { input_tokens: prefixTokens + messageTokens, output_tokens: 400, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
  const hit = cachedPrefixes.has(prefix);
  cachedPrefixes.add(prefix);
  return {
    input_tokens: messageTokens,
    output_tokens: 400,
    cache_creation_input_tokens: hit ? 0 : prefixTokens,
    cache_read_input_tokens: hit ? prefixTokens : 0,
  };
}
