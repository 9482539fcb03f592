import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDuckDbWarehouse } from '../../../../src/adapters/warehouse/duckdb/duckdb-warehouse.ts';
import { fixtureRows, writeFixture } from './telemetry-fixtures.ts';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

async function readBack(file: string, sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJS();
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('the write-back tables', () => {
  let root: string;
  let telemetryDir: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'duckdb-writeback-'));
    telemetryDir = path.join(root, 'telemetry');
    await writeFixture(telemetryDir, 'parquet', fixtureRows());
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('keeps executions and optimizations in warehouse.duckdb, text exactly as given', async () => {
    const warehouse = await createDuckDbWarehouse({ telemetryDir, writeDir: path.join(root, 'write') });
    const hostile = `Robert'); DROP TABLE ai_learning.agent_executions; --`;
    await Promise.all([
      warehouse.recordExecution({
        proposalId: 'p-1',
        status: 'implemented',
        actor: hostile,
        detail: 'merged "as is"',
        timestamp: new Date('2026-01-31T10:00:00Z'),
      }),
      warehouse.recordExecution({
        proposalId: 'p-2',
        status: 'failed',
        actor: 'cli',
        detail: 'tests failed',
        timestamp: new Date('2026-01-31T11:00:00Z'),
      }),
      warehouse.recordOptimization({
        proposalId: 'p-1',
        endpoint: 'GET /api/reports/export',
        beforeP95Ms: 3400,
        afterP95Ms: 900.5,
        responseTimeReduction: 2499.5,
        timestamp: new Date('2026-01-31T12:00:00Z'),
      }),
    ]);
    await warehouse.close();

    const file = path.join(root, 'write', 'warehouse.duckdb');
    expect(await readBack(file, 'SELECT * FROM ai_learning.agent_executions ORDER BY timestamp')).toEqual([
      { proposal_id: 'p-1', status: 'implemented', actor: hostile, detail: 'merged "as is"', timestamp: new Date('2026-01-31T10:00:00Z') },
      { proposal_id: 'p-2', status: 'failed', actor: 'cli', detail: 'tests failed', timestamp: new Date('2026-01-31T11:00:00Z') },
    ]);
    expect(await readBack(file, 'SELECT * FROM performance.optimizations')).toEqual([
      {
        proposal_id: 'p-1',
        endpoint: 'GET /api/reports/export',
        before_p95_ms: 3400,
        after_p95_ms: 900.5,
        response_time_reduction: 2499.5,
        timestamp: new Date('2026-01-31T12:00:00Z'),
      },
    ]);
  });

  it('appends to the file a previous run left', async () => {
    for (const proposalId of ['first', 'second']) {
      const warehouse = await createDuckDbWarehouse({ telemetryDir, writeDir: path.join(root, 'write') });
      await warehouse.recordExecution({
        proposalId,
        status: 'implemented',
        actor: 'a',
        detail: '',
        timestamp: new Date('2026-01-31T10:00:00Z'),
      });
      await warehouse.close();
    }
    const rows = await readBack(
      path.join(root, 'write', 'warehouse.duckdb'),
      'SELECT proposal_id FROM ai_learning.agent_executions ORDER BY proposal_id',
    );
    expect(rows.map((row) => row.proposal_id)).toEqual(['first', 'second']);
  });

  it('waits for another process that holds the file, then writes', async () => {
    const writeDir = path.join(root, 'write');
    const warehouse = await createDuckDbWarehouse({ telemetryDir, writeDir });
    const file = path.join(writeDir, 'warehouse.duckdb');
    // Another process (a CLI run, say) opens the file for writing and keeps it for 700 ms.
    const holder = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { DuckDBInstance } from '@duckdb/node-api';
         const instance = await DuckDBInstance.create(process.argv[1]);
         console.log('holding');
         setTimeout(() => { instance.closeSync(); }, 700);`,
        file,
      ],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise<number | null>((resolve) => holder.on('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      holder.stdout.on('data', (data: Buffer) => data.toString().includes('holding') && resolve());
      holder.on('exit', () => reject(new Error('the holder exited before holding the file')));
    });
    const started = performance.now();
    await warehouse.recordExecution({
      proposalId: 'p-9',
      status: 'implemented',
      actor: 'a',
      detail: '',
      timestamp: new Date('2026-01-31T10:00:00Z'),
    });
    expect(performance.now() - started).toBeGreaterThan(300);
    expect(await exited).toBe(0);
    await warehouse.close();
    expect(await readBack(file, 'SELECT count(*)::INTEGER AS n FROM ai_learning.agent_executions')).toEqual([{ n: 1 }]);
  });
});
