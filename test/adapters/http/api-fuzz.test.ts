/**
 * docs/RELIABILITY.md test 15: the Express API under hostile Authorization headers and bodies. Never a 5xx,
 * the server stays up, nothing reaches Object.prototype, and a status histogram is printed.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDraft } from '../../helpers/drafts.ts';
import { API_TOKEN, startApi, type ApiHarness } from './api-harness.ts';
import { createRawClient, sendOversizedHeader } from './raw-http.ts';

const histogram = new Map<string, number>();
function tally(group: string, status: number): void {
  const key = `${group} ${status}`;
  histogram.set(key, (histogram.get(key) ?? 0) + 1);
}

/** Node trims optional whitespace (SP, HTAB) around a header value before anyone sees it. */
function expectedAuthStatus(values: readonly string[]): 200 | 401 {
  const first = values[0]?.replace(/^[ \t]+|[ \t]+$/g, '');
  return first !== undefined && /^bearer /i.test(first) && first.slice(7) === API_TOKEN ? 200 : 401;
}

/** Header values are bytes: Unicode goes out as its UTF-8 bytes, read by Node as latin1. */
const asHeaderBytes = (s: string) => Buffer.from(s, 'utf8').toString('latin1');
/** Printable ASCII and tab: what node:http lets a client put in a header without a Unicode detour. */
const headerChar = fc.mapToConstant({ num: 95, build: (v) => String.fromCharCode(0x20 + v) }, { num: 1, build: () => '\t' });
const headerText = (maxLength: number) => fc.string({ unit: headerChar, maxLength });
const oneCharEdit = fc
  .tuple(fc.nat({ max: API_TOKEN.length }), fc.constantFrom('insert', 'delete', 'replace'), fc.constantFrom(...'abcxyz019-_~+/=A'))
  .map(([at, edit, c]) => {
    if (edit === 'insert') return API_TOKEN.slice(0, at) + c + API_TOKEN.slice(at);
    if (edit === 'delete') return API_TOKEN.slice(0, at) + API_TOKEN.slice(at + 1);
    const replaced = API_TOKEN.slice(0, at) + c + API_TOKEN.slice(at + 1);
    return replaced === API_TOKEN ? `${replaced}!` : replaced;
  });
const scheme = fc.constantFrom('Bearer', 'bearer', 'BEARER', 'BeArEr', 'Basic', 'Token', '');

const sendable = (values: readonly string[]) => values.every((v) => /^[\t\x20-\x7e\x80-\xff]*$/.test(v));
const authorizationValues: fc.Arbitrary<readonly string[]> = fc
  .oneof<fc.Arbitrary<readonly string[]>[]>(
    fc.constant([]),
    fc.constantFrom(['Bearer'], ['Bearer '], ['bearer'], [''], [' '], ['Bearer\t']),
    scheme.map((s) => [`${s} ${API_TOKEN}`]),
    fc.tuple(scheme, fc.constantFrom(' ', '  ', '\t', ' \t', '   ')).map(([s, gap]) => [`${s}${gap}${API_TOKEN}`]),
    fc.tuple(fc.constantFrom(' ', '  ', '\t'), fc.constantFrom(' ', '  ', '\t')).map(([a, b]) => [`${a}Bearer ${API_TOKEN}${b}`]),
    fc.constantFrom(` ${API_TOKEN}`, API_TOKEN).map((t) => [`Bearer${t}`]),
    headerText(40).map((extra) => [`Bearer ${API_TOKEN} ${extra}`]),
    fc.string({ unit: 'grapheme', maxLength: 20 }).map((u) => [asHeaderBytes(`Bearer ${u}`)]),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 4 }).map((u) => [asHeaderBytes(`Bearer ${API_TOKEN}${u}`)]),
    oneCharEdit.map((t) => [`Bearer ${t}`]),
    headerText(30)
      .filter((s) => s.length > 0)
      .map((suffix) => [`Bearer ${API_TOKEN}${suffix}`]),
    headerText(120).map((s) => [s]),
    fc
      .tuple(oneCharEdit, fc.boolean())
      .map(([wrong, rightFirst]) => (rightFirst ? [`Bearer ${API_TOKEN}`, `Bearer ${wrong}`] : [`Bearer ${wrong}`, `Bearer ${API_TOKEN}`])),
  )
  .filter(sendable);

/** Bodies built once: some are megabytes. */
const deepArray = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
const deepObject = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
const deepInsideReason = `{"reason":"r","x":${deepArray}}`;
const millionArray = `[${'0,'.repeat(999_999)}0]`;
const millionInObject = `{"reason":${millionArray}}`;
const overLimitReason = JSON.stringify({ reason: 'x'.repeat(150 * 1024) });
const underLimitArray = `[${'0,'.repeat(39_999)}0]`;

type BodyCase = { group: string; body: string; chunked?: boolean; expect: (status: number) => boolean };
const is =
  (...codes: number[]) =>
  (status: number) =>
    codes.includes(status);
const clientOrOk = (status: number) => status < 500;

const protoKeys = fc.constantFrom('__proto__', 'constructor', 'prototype');
const pollutingBody = fc.oneof(
  fc.constant('{"__proto__":{"polluted":"yes"},"reason":"proto"}'),
  fc.constant('{"constructor":{"prototype":{"polluted":"yes"}},"reason":"ctor"}'),
  fc.constant('{"autoExecute":true,"__proto__":{"polluted":"yes","autoExecute":true}}'),
  fc.constant('[{"__proto__":{"polluted":"yes"}}]'),
  fc
    .tuple(
      protoKeys,
      fc.jsonValue({ maxDepth: 3 }),
      fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
    )
    .map(
      ([key, value, rest]) => `{${JSON.stringify(key)}:{"polluted":${JSON.stringify(value)}},"reason":"r","rest":${JSON.stringify(rest)}}`,
    ),
);

const bodyCases: fc.Arbitrary<BodyCase> = fc.oneof(
  fc.constantFrom<BodyCase>(
    { group: 'deep array 1e4', body: deepArray, expect: is(400) },
    { group: 'deep object 1e4', body: deepObject, expect: is(400) },
    { group: 'deep inside a field', body: deepInsideReason, expect: is(400) },
    { group: '1e6-element array', body: millionArray, expect: is(413) },
    { group: '1e6-element array, chunked', body: millionInObject, chunked: true, expect: is(413) },
    { group: 'over the 100kb limit', body: overLimitReason, expect: is(413) },
    { group: '4e4-element array under the limit', body: underLimitArray, expect: is(400) },
  ),
  pollutingBody.map((body) => ({ group: 'prototype keys', body, expect: clientOrOk })),
  fc.jsonValue({ maxDepth: 4 }).map((v) => ({ group: 'any JSON', body: JSON.stringify(v) ?? 'null', expect: clientOrOk })),
  fc
    .record(
      { reason: fc.jsonValue({ maxDepth: 2 }), autoExecute: fc.jsonValue({ maxDepth: 1 }), expectedVersion: fc.jsonValue({ maxDepth: 1 }) },
      { requiredKeys: [] },
    )
    .map((v) => ({ group: 'wrong types', body: JSON.stringify(v), expect: clientOrOk })),
  fc.string({ maxLength: 60 }).map((s) => ({ group: 'not JSON', body: s, expect: clientOrOk })),
);

describe('API fuzz (docs/RELIABILITY.md test 15): bearer auth and bodies', () => {
  let api: ApiHarness;
  let raw: ReturnType<typeof createRawClient>;
  let ids: string[];
  const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();
  const rssBefore = process.memoryUsage().rss;

  beforeAll(async () => {
    api = await startApi();
    raw = createRawClient(api.port);
    ids = [];
    for (let i = 0; i < 5; i++) ids.push((await api.store.create(makeDraft(), { actor: 'fuzz' })).id);
  });

  afterAll(async () => {
    raw.close();
    await api.close();
    const rows = [...histogram.entries()].sort(([a], [b]) => a.localeCompare(b));
    console.log(`API fuzz status histogram\n${rows.map(([k, n]) => `  ${k.padEnd(44)} ${n}`).join('\n')}`);
  });

  it('answers 200 only for exactly "<bearer in any case> <the token>" and 401 for everything else', async () => {
    await fc.assert(
      fc.asyncProperty(authorizationValues, async (values) => {
        const res = await raw.request({
          method: 'GET',
          path: '/api/improvements/proposals?limit=1',
          headers: values.length ? { authorization: values.length === 1 ? values[0]! : [...values] } : {},
        });
        tally('auth', res.status);
        expect(res.status).toBe(expectedAuthStatus(values));
      }),
      { numRuns: 400 },
    );
  });

  it('answers 431 from Node for a 1 MB Authorization header and keeps serving', async () => {
    const status = await sendOversizedHeader(api.port, 1024 * 1024);
    tally('1 MB header', status);
    expect(status).toBe(431);
    expect((await raw.request({ method: 'GET', path: '/healthz' })).status).toBe(200);
  });

  it('never answers 5xx to hostile bodies: 400 for deep nesting, 413 over the limit, nothing polluted', async () => {
    // Not execute: without an executor its honest answer is 503, which is not what this test is about.
    const actions = fc.constantFrom('approve', 'reject');
    await fc.assert(
      fc.asyncProperty(bodyCases, actions, fc.nat({ max: 5 }), async (c, action, which) => {
        // Index 5 is a well-formed id nobody filed.
        const id = ids[which] ?? 'performance-20260101-0000000000';
        const res = await raw.request({
          method: 'POST',
          path: `/api/improvements/proposals/${id}/${action}`,
          headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' },
          body: c.body,
          ...(c.chunked ? { chunked: true } : {}),
        });
        tally(`body: ${c.group}`, res.status);
        expect(res.status, `${c.group} → ${res.status} ${res.body.slice(0, 200)}`).toBeLessThan(500);
        expect(c.expect(res.status), `${c.group} → ${res.status} ${res.body.slice(0, 200)}`).toBe(true);
        if (res.status !== 200) expect(JSON.parse(res.body)).toEqual({ error: expect.any(String), message: expect.any(String) });
      }),
      { numRuns: 250 },
    );
  });

  it('leaves Object.prototype as it was and the server up, within a memory bound', async () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeBefore);
    expect(api.server.listening).toBe(true);
    expect((await raw.request({ method: 'GET', path: '/healthz' })).status).toBe(200);
    const authed = await raw.request({
      method: 'GET',
      path: '/api/improvements/metrics',
      headers: { authorization: `Bearer ${API_TOKEN}` },
    });
    expect(authed.status).toBe(200);
    const rssAfter = process.memoryUsage().rss;
    console.log(`RSS before ${(rssBefore / 2 ** 20).toFixed(1)} MB, after ${(rssAfter / 2 ** 20).toFixed(1)} MB`);
    expect(rssAfter - rssBefore).toBeLessThan(256 * 2 ** 20);
  });

  it('answers 401 to wrong tokens of the right and of other lengths alike (medians printed, not asserted)', async () => {
    const perClass = 1000;
    const sameLength = fc.sample(
      fc.string({
        unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-'),
        minLength: API_TOKEN.length,
        maxLength: API_TOKEN.length,
      }),
      { numRuns: perClass, seed: 15 },
    );
    const otherLength = fc.sample(
      fc
        .string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789-'), minLength: 1, maxLength: 200 })
        .filter((s) => s.length !== API_TOKEN.length),
      { numRuns: perClass, seed: 16 },
    );
    const timings = { sameLength: [] as number[], otherLength: [] as number[] };
    const statuses = new Set<number>();
    // Interleaved, so drift in machine load falls on both classes alike.
    for (let i = 0; i < perClass; i++) {
      for (const [cls, token] of [
        ['sameLength', sameLength[i]!],
        ['otherLength', otherLength[i]!],
      ] as const) {
        const began = performance.now();
        const res = await raw.request({
          method: 'GET',
          path: '/api/improvements/proposals?limit=1',
          headers: { authorization: `Bearer ${token}` },
        });
        timings[cls].push(performance.now() - began);
        statuses.add(res.status);
        tally(`timing ${cls}`, res.status);
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const same = median(timings.sameLength);
    const other = median(timings.otherLength);
    console.log(
      `wrong-token latency over ${perClass} requests each: right length median ${(same * 1000).toFixed(0)} µs, ` +
        `other length median ${(other * 1000).toFixed(0)} µs, difference ${((other - same) * 1000).toFixed(0)} µs`,
    );
    expect([...statuses]).toEqual([401]);
  });
});
