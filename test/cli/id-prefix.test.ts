import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedStore } from '../../src/adapters/store/embedded/embedded-store.ts';
import { makeDraft } from '../helpers/drafts.ts';
import { makeDataDir, runBinary } from './binary.ts';

describe('proposal ids typed short', () => {
  let dirs: Awaited<ReturnType<typeof makeDataDir>>;
  const run = (...args: string[]) => runBinary(['proposals', ...args], { dataDir: dirs.dataDir, cwd: dirs.cwd });
  const ids = { first: 'bugfix-20261203-aaaa11', second: 'bugfix-20261203-aaaa22', only: 'performance-20261203-bbbb33' };

  beforeAll(async () => {
    dirs = await makeDataDir();
    const store = createEmbeddedStore({ file: path.join(dirs.dataDir, 'store.sqlite') });
    try {
      for (const [i, id] of [ids.first, ids.second, ids.only].entries()) {
        await store.create(makeDraft({ type: i < 2 ? 'bug_fix' : 'performance', title: `proposal ${id}` }), { actor: 'cycle:daily', id });
      }
    } finally {
      await store.close();
    }
  });
  afterAll(() => dirs?.remove());

  it('takes a prefix only one id begins with, and refuses one several share by naming them', async () => {
    const [shown, ambiguous, unknown, exact] = await Promise.all([
      run('show', 'bugfix-20261203-aaaa1', '--json'),
      run('reject', 'bugfix-2026', '--reason', 'which one?'),
      run('show', 'zzz'),
      // An exact id that is also the beginning of none other is taken as it is.
      run('show', ids.second, '--json'),
    ]);
    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ id: ids.first });
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toMatch(/"bugfix-2026" is the beginning of 2 proposal ids: /);
    expect(ambiguous.stderr).toContain(ids.first);
    expect(ambiguous.stderr).toContain(ids.second);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/No proposal with id "zzz"/);
    expect(JSON.parse(exact.stdout)).toMatchObject({ id: ids.second });

    const store = createEmbeddedStore({ file: path.join(dirs.dataDir, 'store.sqlite') });
    try {
      // The refused decision changed nothing.
      expect((await store.get(ids.first))?.status).toBe('pending');
      expect((await store.get(ids.second))?.status).toBe('pending');
    } finally {
      await store.close();
    }
  });

  it('decides and executes by prefix, and every execution step reaches the warehouse before it closes', async () => {
    const approved = await run('approve', 'perf');
    expect(approved.code, approved.stderr).toBe(0);
    expect(approved.stdout).toMatch(new RegExp(`^Approved ${ids.only} as `));
    // No patch and no editing agent: the execution fails, and its steps are still recorded.
    const executed = await run('execute', 'performance-2026');
    expect(executed.code).toBe(1);
    expect(executed.stdout).toMatch(new RegExp(`Executed ${ids.only} as .*: it is now failed`));
    expect(executed.stderr).not.toMatch(/warehouse is closed|recording the execution step failed/);
    // The executor's warning is one human line (through a pipe too), its stack left for --verbose.
    expect(executed.stderr).toMatch(new RegExp(`^warn: execution failed: .*\\(component=executor, proposalId=${ids.only}\\)$`, 'm'));
    expect(executed.stderr).not.toMatch(/^\{|"level":|^\s+at /m);

    const instance = await DuckDBInstance.create(path.join(dirs.dataDir, 'warehouse.duckdb'));
    const connection = await instance.connect();
    try {
      const reader = await connection.runAndReadAll(
        `SELECT status FROM ai_learning.agent_executions WHERE proposal_id = '${ids.only}' ORDER BY timestamp`,
      );
      const statuses = reader.getRowObjects().map((row) => row.status);
      expect(statuses[0]).toBe('started');
      expect(statuses.at(-1)).toBe('failed');
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  }, 120_000);
});
