import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorHandler } from '../../../src/adapters/http/errors.ts';
import { exceedsDepth, jsonBody, MAX_JSON_DEPTH } from '../../../src/adapters/http/json-body.ts';
import { requestContextMiddleware } from '../../../src/adapters/http/request-context.ts';

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('JSON body parsing for the API', () => {
  let server: Server;
  let url: string;
  let seen: unknown;

  beforeAll(async () => {
    // The parser and the error mapping alone, with a handler that reports what it was given.
    const logger = pino({ level: 'silent' });
    const app = express();
    app.use(requestContextMiddleware(logger));
    app.post('/echo', jsonBody(), (req, res) => {
      seen = req.body;
      res.json({ ownKeys: Object.keys(req.body ?? {}), hasProto: Object.hasOwn(req.body ?? {}, '__proto__') });
    });
    app.use(errorHandler(logger));
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/echo`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  const post = async (body: string) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it(`accepts nesting of ${MAX_JSON_DEPTH} levels and refuses ${MAX_JSON_DEPTH + 1} with 400 before any handler runs`, async () => {
    seen = undefined;
    const ok = await post(`{"reason":"r","x":${nested(MAX_JSON_DEPTH - 1)}}`);
    expect(ok.status).toBe(200);
    seen = undefined;
    const deep = await post(`{"reason":"r","x":${nested(MAX_JSON_DEPTH)}}`);
    expect(deep.status).toBe(400);
    expect(deep.body).toEqual({ error: 'bad_request', message: expect.stringContaining('nests deeper') });
    expect(seen).toBeUndefined();
  });

  it('drops __proto__, constructor and prototype keys at every level', async () => {
    const res = await post(
      '{"reason":"r","__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}},"inner":{"prototype":1,"__proto__":2,"keep":3}}',
    );
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ownKeys: ['reason', 'inner'], hasProto: false });
    expect(seen).toEqual({ reason: 'r', inner: { keep: 3 } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses a top-level scalar (strict) and malformed JSON with 400, and 413 over 100 kB', async () => {
    expect((await post('"text"')).status).toBe(400);
    expect((await post('{"a":')).body).toEqual({ error: 'bad_request', message: 'The body is not valid JSON' });
    const big = await post(JSON.stringify({ reason: 'x'.repeat(101 * 1024) }));
    expect(big.status).toBe(413);
    expect(big.body.error).toBe('payload_too_large');
  });
});

describe('the nesting measure on raw bytes', () => {
  const deeper = (text: string, max: number) => exceedsDepth(Buffer.from(text), max);

  it('counts brackets of both kinds and ignores those inside strings, escaped quotes included', () => {
    expect(deeper('{"a":[{"b":[1]}]}', 4)).toBe(false);
    expect(deeper('{"a":[{"b":[1]}]}', 3)).toBe(true);
    expect(deeper('{"a":"[[[[[[[[{{{{{{"}', 1)).toBe(false);
    expect(deeper('{"a":"\\"[[[[[[\\\\","b":1}', 1)).toBe(false);
    expect(deeper('{"a":"\\\\"}', 1)).toBe(false);
    expect(deeper(nested(10_000), 32)).toBe(true);
  });
});
