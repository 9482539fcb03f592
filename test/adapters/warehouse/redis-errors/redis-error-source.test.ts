import { Writable } from 'node:stream';
import { Redis } from 'ioredis';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { parseTimestamp } from '../../../../src/adapters/warehouse/redis-errors/error-entry.ts';
import { withRedisErrors } from '../../../../src/adapters/warehouse/redis-errors/redis-error-source.ts';
import { createBugAnalyzer } from '../../../../src/analyzers/bugs/bug-analyzer.ts';
import type { Logger } from '../../../../src/logging.ts';
import type { AnalysisContext } from '../../../../src/ports/analyzer.ts';
import type { TimeWindow } from '../../../../src/ports/warehouse.ts';
import { createMemoryWarehouse, type ErrorLogRow } from '../../../helpers/memory-warehouse.ts';
import { freePort, probeRedis, useTestRedis } from '../../../helpers/redis.ts';

const HOUR = 3600 * 1000;
const FROM = new Date('2026-01-30T00:00:00Z');
const TO = new Date('2026-01-31T00:00:00Z');
const WINDOW: TimeWindow = { from: FROM, to: TO };
const at = (ms: number) => new Date(FROM.getTime() + ms);
const CHECKOUT = 'POST /api/checkout';

/** A pino logger whose lines the test can read. */
function capturedLogger(): { logger: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line.trim()) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), lines };
}

const declined = (stack: string, timestamp: Date): ErrorLogRow => ({ message: 'Payment declined', stack, endpoint: CHECKOUT, timestamp });

describe('timestamps of recent errors', () => {
  it('reads epoch milliseconds and ISO times, and a time without a zone as UTC like the warehouse', () => {
    expect(parseTimestamp(1769731200123)?.toISOString()).toBe('2026-01-30T00:00:00.123Z');
    expect(parseTimestamp('1769731200123')?.toISOString()).toBe('2026-01-30T00:00:00.123Z');
    expect(parseTimestamp('2026-01-30T01:00:00+01:00')?.toISOString()).toBe('2026-01-30T00:00:00.000Z');
    expect(parseTimestamp('2026-01-30T00:00:00.123456')?.toISOString()).toBe('2026-01-30T00:00:00.123Z');
    expect(parseTimestamp('2026-01-30 00:00:00')?.toISOString()).toBe('2026-01-30T00:00:00.000Z');
    expect(parseTimestamp('yesterday')).toBeNull();
    expect(parseTimestamp(true)).toBeNull();
  });
});

const redisUp = await probeRedis();

describe.skipIf(!redisUp)('recent errors from Redis added to the warehouse', () => {
  const { keyPrefix: prefix, redis } = useTestRedis('redis-errors');
  let n = 0;
  const freshKey = () => `${prefix}${++n}`;
  const entry = (fields: Record<string, string>) => Object.entries(fields).flat();
  const json = (fields: Record<string, unknown>) => JSON.stringify(fields);

  it('merges a stream with the warehouse: counts added, earliest first seen, latest last seen and its stack', async () => {
    const key = freshKey();
    const warehouse = createMemoryWarehouse({
      errors: [
        declined('wh-1', at(1 * HOUR)),
        declined('wh-2', at(2 * HOUR)),
        declined('wh-3', at(3 * HOUR)),
        { message: 'Only in the warehouse', endpoint: null, timestamp: at(5 * HOUR) },
      ],
    });
    await redis.xadd(
      key,
      `${at(4 * HOUR).getTime()}-*`,
      ...entry({ error_message: 'Payment declined', error_stack: 'redis-late', endpoint: CHECKOUT, timestamp: at(4 * HOUR).toISOString() }),
    );
    // A timestamp field wins over the id; this one was written long after it happened.
    await redis.xadd(
      key,
      `${at(6 * HOUR).getTime()}-*`,
      ...entry({
        error_message: 'Payment declined',
        error_stack: 'redis-early',
        endpoint: CHECKOUT,
        timestamp: String(at(HOUR / 2).getTime()),
      }),
    );
    // No timestamp and no endpoint: the id's milliseconds, a null endpoint.
    await redis.xadd(
      key,
      `${at(7 * HOUR).getTime()}-5`,
      ...entry({ error_message: 'Only in Redis', error_stack: 'Error: x\n    at f (/srv/app/x.js:1:1)' }),
    );

    const merged = withRedisErrors(warehouse, { redis, key });
    const result = await merged.errorMessages(WINDOW, 100);

    expect(result).toEqual({
      rows: [
        { message: 'Payment declined', endpoint: CHECKOUT, count: 5, firstSeen: at(HOUR / 2), lastSeen: at(4 * HOUR), stack: 'redis-late' },
        {
          message: 'Only in Redis',
          endpoint: null,
          count: 1,
          firstSeen: at(7 * HOUR),
          lastSeen: at(7 * HOUR),
          stack: 'Error: x\n    at f (/srv/app/x.js:1:1)',
        },
        { message: 'Only in the warehouse', endpoint: null, count: 1, firstSeen: at(5 * HOUR), lastSeen: at(5 * HOUR), stack: null },
      ],
      total: 3,
      cap: 100,
      capped: false,
    });
    expect(merged.describe()).toBe(`${warehouse.describe()} + recent errors from Redis stream ${key}`);
  });

  it('merges a list of JSON objects pushed newest first, keeping the warehouse’s stack when the warehouse saw the later one', async () => {
    const key = freshKey();
    const warehouse = createMemoryWarehouse({ errors: [declined('wh-early', at(1 * HOUR)), declined('wh-latest', at(9 * HOUR))] });
    // LPUSH as the seed does: the last pushed is the head.
    await redis.lpush(
      key,
      json({ error_message: 'Payment declined', error_stack: 'redis-a', endpoint: CHECKOUT, timestamp: at(2 * HOUR).getTime() }),
      json({ error_message: 'Payment declined', error_stack: 'redis-b', endpoint: CHECKOUT, timestamp: '2026-01-30T00:10:00' }),
      json({ error_message: 'Timeout calling payments', error_stack: null, endpoint: CHECKOUT, timestamp: at(3 * HOUR).toISOString() }),
      json({
        error_message: 'Timeout calling payments',
        error_stack: 'redis-timeout',
        endpoint: CHECKOUT,
        timestamp: at(4 * HOUR).toISOString(),
      }),
      json({
        error_message: 'Timeout calling payments',
        error_stack: 'before the window',
        endpoint: CHECKOUT,
        timestamp: at(-HOUR).toISOString(),
      }),
    );

    const merged = withRedisErrors(warehouse, { redis, key });
    const result = await merged.errorMessages(WINDOW, 100);

    expect(result.rows).toEqual([
      {
        message: 'Payment declined',
        endpoint: CHECKOUT,
        count: 4,
        firstSeen: at(10 * 60 * 1000),
        lastSeen: at(9 * HOUR),
        stack: 'wh-latest',
      },
      {
        message: 'Timeout calling payments',
        endpoint: CHECKOUT,
        count: 2,
        firstSeen: at(3 * HOUR),
        lastSeen: at(4 * HOUR),
        stack: 'redis-timeout',
      },
    ]);
    expect(result).toMatchObject({ total: 2, capped: false });
    expect(merged.describe()).toContain(`recent errors from Redis list ${key}`);
  });

  it('counts an error at the window’s start and leaves out one at its end, for a stream and for a list', async () => {
    const times = [FROM.getTime() - 1, FROM.getTime(), TO.getTime() - 1, TO.getTime()];
    const streamKey = freshKey();
    const listKey = freshKey();
    for (const ms of times) {
      await redis.xadd(streamKey, `${ms}-*`, ...entry({ error_message: 'Edge', endpoint: 'GET /edge', error_stack: `at ${ms}` }));
      await redis.lpush(listKey, json({ error_message: 'Edge', endpoint: 'GET /edge', error_stack: `at ${ms}`, timestamp: ms }));
    }
    for (const key of [streamKey, listKey]) {
      const { rows } = await withRedisErrors(createMemoryWarehouse(), { redis, key }).errorMessages(WINDOW, 10);
      expect(rows).toEqual([
        {
          message: 'Edge',
          endpoint: 'GET /edge',
          count: 2,
          firstSeen: FROM,
          lastSeen: new Date(TO.getTime() - 1),
          stack: `at ${TO.getTime() - 1}`,
        },
      ]);
    }
  });

  it('skips malformed entries, counts them in the logs, and keeps the good ones', async () => {
    const streamKey = freshKey();
    const listKey = freshKey();
    const good = { error_message: 'Good', endpoint: 'GET /ok', timestamp: at(HOUR).toISOString() };
    await redis.xadd(streamKey, `${at(HOUR).getTime()}-*`, ...entry(good));
    await redis.xadd(streamKey, `${at(HOUR).getTime()}-*`, ...entry({ endpoint: 'GET /ok', note: 'no message' }));
    await redis.xadd(streamKey, `${at(HOUR).getTime()}-*`, ...entry({ error_message: 'Bad time', timestamp: 'yesterday' }));
    await redis.rpush(
      listKey,
      'not json',
      '[1,2]',
      'null',
      json({ error_message: 5, timestamp: at(HOUR).getTime() }),
      json({ error_message: 'No time' }),
      json({ error_message: 'Bad stack', error_stack: { a: 1 }, timestamp: at(HOUR).getTime() }),
      json(good),
    );

    const stream = capturedLogger();
    const fromStream = await withRedisErrors(createMemoryWarehouse(), { redis, key: streamKey, logger: stream.logger }).errorMessages(
      WINDOW,
      10,
    );
    expect(fromStream.rows.map((r) => [r.message, r.count])).toEqual([['Good', 1]]);
    expect(stream.lines).toContainEqual(expect.objectContaining({ level: 40, key: streamKey, malformed: 2, read: 3 }));

    const list = capturedLogger();
    const fromList = await withRedisErrors(createMemoryWarehouse(), { redis, key: listKey, logger: list.logger }).errorMessages(WINDOW, 10);
    expect(fromList.rows.map((r) => [r.message, r.count])).toEqual([['Good', 1]]);
    expect(list.lines).toContainEqual(expect.objectContaining({ level: 40, key: listKey, malformed: 6, read: 7 }));
    expect(list.lines.find((l) => l.malformed)?.msg).toBe('skipped 6 malformed recent-error entries of 7 read from Redis');
  });

  it('adds nothing for a missing key, and skips a key of another type with a warning', async () => {
    const warehouse = createMemoryWarehouse({ errors: [declined('wh', at(HOUR))] });
    const own = await warehouse.errorMessages(WINDOW, 10);
    const missing = capturedLogger();
    expect(await withRedisErrors(warehouse, { redis, key: freshKey(), logger: missing.logger }).errorMessages(WINDOW, 10)).toEqual(own);
    expect(missing.lines).toEqual([]);

    const hashKey = freshKey();
    await redis.hset(hashKey, { error_message: 'in a hash' });
    const wrong = capturedLogger();
    expect(await withRedisErrors(warehouse, { redis, key: hashKey, logger: wrong.logger }).errorMessages(WINDOW, 10)).toEqual(own);
    expect(wrong.lines).toContainEqual(expect.objectContaining({ level: 40, key: hashKey, type: 'hash' }));
  });

  it('re-applies the cap after merging, counting distinct (message, endpoint) pairs of both sources', async () => {
    const key = freshKey();
    const warehouse = createMemoryWarehouse({
      errors: [
        ...[1, 2, 3].map((h) => ({ message: 'W3', endpoint: 'GET /a', timestamp: at(h * HOUR) })),
        ...[1, 2].map((h) => ({ message: 'W2', endpoint: 'GET /a', timestamp: at(h * HOUR) })),
        { message: 'W1', endpoint: 'GET /a', timestamp: at(HOUR) },
      ],
    });
    for (let i = 0; i < 4; i++) await redis.xadd(key, `${at(HOUR + i).getTime()}-*`, ...entry({ error_message: 'R4', endpoint: 'GET /b' }));
    for (let i = 4; i < 6; i++) await redis.xadd(key, `${at(HOUR + i).getTime()}-*`, ...entry({ error_message: 'W1', endpoint: 'GET /a' }));
    await redis.xadd(key, `${at(HOUR + 6).getTime()}-*`, ...entry({ error_message: 'W1', endpoint: 'GET /other' }));

    const result = await withRedisErrors(warehouse, { redis, key }).errorMessages(WINDOW, 3);
    // W1 GET /a: 1 + 2 = 3, last seen at 1 h + 5 ms; W3: 3, last seen at 3 h, so W3 first.
    expect(result.rows.map((r) => [r.message, r.endpoint, r.count])).toEqual([
      ['R4', 'GET /b', 4],
      ['W3', 'GET /a', 3],
      ['W1', 'GET /a', 3],
    ]);
    expect(result).toMatchObject({ total: 5, cap: 3, capped: true });
  });

  it('returns the warehouse’s rows unchanged and warns when Redis does not answer', async () => {
    const warehouse = createMemoryWarehouse({ errors: [declined('wh-1', at(HOUR)), declined('wh-2', at(2 * HOUR))] });
    const own = await warehouse.errorMessages(WINDOW, 10);
    const down = new Redis(`redis://127.0.0.1:${await freePort()}`, {
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    down.on('error', () => {});
    const { logger, lines } = capturedLogger();
    try {
      const merged = withRedisErrors(warehouse, { redis: down, key: freshKey(), logger });
      const started = performance.now();
      expect(await merged.errorMessages(WINDOW, 10)).toEqual(own);
      const elapsed = performance.now() - started;
      console.info(`errorMessages with Redis unreachable answered in ${elapsed.toFixed(1)} ms`);
      expect(lines).toContainEqual(
        expect.objectContaining({ level: 40, msg: expect.stringContaining('could not read recent errors from Redis') }),
      );
      expect(merged.describe()).toContain('recent errors from Redis stream or list');
    } finally {
      down.disconnect();
    }
  });

  it('reads at most maxEntries entries (a list’s newest, a stream’s oldest in the window) and says so in the logs', async () => {
    const streamKey = freshKey();
    const listKey = freshKey();
    for (let i = 1; i <= 3; i++) {
      await redis.xadd(streamKey, `${at(i * HOUR).getTime()}-*`, ...entry({ error_message: 'Many', endpoint: 'GET /m' }));
      await redis.lpush(listKey, json({ error_message: 'Many', endpoint: 'GET /m', timestamp: at(i * HOUR).getTime() }));
    }
    const { logger, lines } = capturedLogger();
    const fromStream = await withRedisErrors(createMemoryWarehouse(), { redis, key: streamKey, maxEntries: 2, logger }).errorMessages(
      WINDOW,
      10,
    );
    expect(fromStream.rows).toMatchObject([{ count: 2, firstSeen: at(HOUR), lastSeen: at(2 * HOUR) }]);
    const fromList = await withRedisErrors(createMemoryWarehouse(), { redis, key: listKey, maxEntries: 2, logger }).errorMessages(
      WINDOW,
      10,
    );
    expect(fromList.rows).toMatchObject([{ count: 2, firstSeen: at(2 * HOUR), lastSeen: at(3 * HOUR) }]);
    expect(lines.filter((l) => l.maxEntries === 2 && l.level === 40)).toHaveLength(2);
  });

  it('leaves every other method to the warehouse', async () => {
    const warehouse = createMemoryWarehouse({ metrics: [{ endpoint: 'GET /a', responseTimeMs: 120, timestamp: at(HOUR) }] });
    const merged = withRedisErrors(warehouse, { redis, key: freshKey() });
    expect(merged.kind).toBe(warehouse.kind);
    expect(await merged.endpointStats(WINDOW)).toEqual(await warehouse.endpointStats(WINDOW));
    const record = { proposalId: 'p-1', status: 'executed', actor: 'test', detail: 'ok', timestamp: at(HOUR) };
    await merged.recordExecution(record);
    expect(warehouse.executions).toEqual([record]);
  });

  it('turns errors seen only in Redis into a bug finding', async () => {
    const key = freshKey();
    const stack =
      "TypeError: Cannot read properties of null (reading 'amount')\n    at formatOrderTotal (/srv/app/src/orders/format.js:42:17)\n    at getOrder (/srv/app/src/server.js:12:10)";
    for (let i = 0; i < 6; i++) {
      await redis.lpush(
        key,
        json({
          error_message: `Order ${1000 + i} total failed: cannot read amount of null`,
          error_stack: stack,
          endpoint: 'GET /api/orders/:id',
          timestamp: at((i + 1) * HOUR).toISOString(),
        }),
      );
    }
    const week: AnalysisContext = { cycle: 'daily', asOf: TO, window: WINDOW };
    const analyzer = (warehouse: ReturnType<typeof createMemoryWarehouse> | ReturnType<typeof withRedisErrors>) =>
      createBugAnalyzer({ warehouse, settings: { minErrorsForBugReport: 5 }, appRoots: ['/srv/app'] });

    expect(await analyzer(createMemoryWarehouse()).analyze(week)).toEqual([]);
    const findings = await analyzer(withRedisErrors(createMemoryWarehouse(), { redis, key })).analyze(week);
    expect(findings).toHaveLength(1);
    expect(findings[0]!.magnitude).toBe(6);
    expect(findings[0]!.evidence).toEqual(
      expect.arrayContaining([
        { label: 'occurrences', value: 6 },
        { label: 'trend', value: 'new' },
        { label: 'endpoints', value: 'GET /api/orders/:id (6)' },
        { label: 'thrown at', value: 'src/orders/format.js:42 in formatOrderTotal' },
      ]),
    );
  });

  it("passes learning's and features' grouped reads and the outcome reads through to the warehouse, and adds none it lacks", async () => {
    const calls: string[] = [];
    const inner = createMemoryWarehouse();
    const grouped = {
      ...inner,
      interactionGroups: async () => (calls.push('groups'), { facets: [], topicCustomers: [], candidates: [], profileRows: [] }),
      interactionsWithMessages: async () => (calls.push('messages'), []),
      interactionsMatching: async () => (calls.push('matching'), []),
      deployments: async () => (calls.push('deployments'), []),
    };
    const merged = withRedisErrors(grouped, { redis, key: `${prefix}grouped` });
    await merged.interactionGroups!(WINDOW, {
      sample: () => ({ unsureResponses: [], goodOutcomes: [], badOutcomes: [], quotas: [0, 0, 0] }),
      topics: () => ({ conversations: [], goodOutcomes: [], badOutcomes: [], maxCandidates: 1, minInteractions: 1, maxProfiles: 1 }),
    });
    await merged.interactionsWithMessages!(WINDOW, () => []);
    await merged.interactionsMatching!(WINDOW, ['refund']);
    await merged.deployments!(WINDOW);
    expect(calls).toEqual(['groups', 'messages', 'matching', 'deployments']);
    const { interactionsMatching: _matching, deployments: _deployments, ...without } = inner;
    const plain = withRedisErrors(without, { redis, key: `${prefix}plain` });
    expect(plain.interactionGroups).toBeUndefined();
    expect(plain.interactionsWithMessages).toBeUndefined();
    expect(plain.interactionsMatching).toBeUndefined();
    expect(plain.deployments).toBeUndefined();
  });
});
