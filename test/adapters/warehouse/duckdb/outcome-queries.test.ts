import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDuckDbWarehouse } from '../../../../src/adapters/warehouse/duckdb/duckdb-warehouse.ts';
import type { TelemetryWarehouse, TimeWindow } from '../../../../src/ports/warehouse.ts';
import { createMemoryWarehouse, type InteractionRow } from '../../../helpers/memory-warehouse.ts';

const window: TimeWindow = { from: new Date('2026-01-02T00:00:00Z'), to: new Date('2026-01-03T00:00:00Z') };
const at = (hour: number) => new Date(Date.UTC(2026, 0, 2, hour));

const MESSAGES = [
  'Can I talk to a HUMAN?',
  'Can I talk to a HUMAN?',
  'Humans only please',
  'I want to speak to a real person',
  'These categories are wrong',
  'The category is wrong',
  'Nothing to see here',
  // A prefix inside a word is no match: "inhuman" does not start with "human".
  'This is inhuman',
  "x'); DROP VIEW ai_learning.customer_interactions; --",
];
const interactions: InteractionRow[] = [
  ...MESSAGES.map((message, i) => ({
    customerId: `c${i}`,
    interactionType: 'chat',
    message,
    outcome: i % 3 === 0 ? null : i % 3 === 1 ? 'escalated' : 'resolved',
    timestamp: at(i),
  })),
  { customerId: 'late', interactionType: 'chat', message: 'talk to a human', outcome: 'resolved', timestamp: window.to },
];

describe('the DuckDB warehouse for outcomes', () => {
  let root: string;
  let warehouse: TelemetryWarehouse;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'duckdb-outcomes-'));
    const dir = path.join(root, 'telemetry');
    await mkdir(dir, { recursive: true });
    const ndjson = interactions.map((r) =>
      JSON.stringify({
        timestamp: r.timestamp.toISOString(),
        customer_id: r.customerId,
        interaction_type: r.interactionType,
        message: r.message,
        outcome: r.outcome,
      }),
    );
    await writeFile(path.join(dir, 'customer_interactions.ndjson'), `${ndjson.join('\n')}\n`);
    await writeFile(
      path.join(dir, 'deployments.csv'),
      [
        'id,deployed_at,commit_sha,ref,environment,service',
        'd-2,2026-01-02T12:00:00Z,4f2c9ab0,main,production,api',
        'd-1,2026-01-02T08:00:00Z,,,staging,',
        // The same id again, later: one deploy, the first row kept.
        'd-1,2026-01-02T09:00:00Z,ffff000,main,staging,',
        'd-0,2026-01-01T08:00:00Z,aaaa000,main,production,api',
      ].join('\n'),
    );
    warehouse = await createDuckDbWarehouse({ telemetryDir: dir, writeDir: path.join(root, 'write') });
  });
  afterAll(async () => {
    await warehouse?.close();
    await rm(root, { recursive: true, force: true });
  });

  it('counts interactions by message and outcome where a word starts with a prefix, as the in-memory reference does', async () => {
    const prefixes = ['human', 'categor', "x'); drop"];
    const got = await warehouse.interactionsMatching!(window, prefixes);
    expect(got).toEqual(await createMemoryWarehouse({ interactions }).interactionsMatching!(window, prefixes));
    expect(got).toEqual([
      { message: 'Can I talk to a HUMAN?', outcome: null, count: 1 },
      { message: 'Can I talk to a HUMAN?', outcome: 'escalated', count: 1 },
      { message: 'Humans only please', outcome: 'resolved', count: 1 },
      { message: 'The category is wrong', outcome: 'resolved', count: 1 },
      { message: 'These categories are wrong', outcome: 'escalated', count: 1 },
      { message: "x'); DROP VIEW ai_learning.customer_interactions; --", outcome: 'resolved', count: 1 },
    ]);
    expect(await warehouse.interactionsMatching!(window, [])).toEqual([]);
  });

  it('reads the optional deployments table: the window only, oldest first, one row per id, empty columns absent', async () => {
    expect(await warehouse.deployments!({ from: window.from, to: new Date('2026-01-02T12:00:00Z') })).toEqual([
      { id: 'd-1', deployedAt: '2026-01-02T08:00:00.000Z', environment: 'staging', source: 'warehouse' },
    ]);
    expect((await warehouse.deployments!(window)).map((d) => [d.id, d.commit, d.ref, d.service])).toEqual([
      ['d-1', undefined, undefined, undefined],
      ['d-2', '4f2c9ab0', 'main', 'api'],
    ]);
    expect(warehouse.describe()).toContain('4 deployments');
    expect(warehouse.tables).not.toContain('performance.deployments');
  });

  it('answers no deployments, and names no missing table, when there are no deployment files', async () => {
    const dir = path.join(root, 'bare');
    await mkdir(dir, { recursive: true });
    await writeFile(
      path.join(dir, 'customer_interactions.ndjson'),
      `${JSON.stringify({ timestamp: at(1).toISOString(), interaction_type: 'chat', message: 'hi' })}\n`,
    );
    const bare = await createDuckDbWarehouse({ telemetryDir: dir, writeDir: path.join(root, 'bare-write') });
    try {
      expect(await bare.deployments!(window)).toEqual([]);
      expect(bare.describe()).not.toContain('deployments');
    } finally {
      await bare.close();
    }
  });
});
