import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedStore } from '../../src/adapters/store/embedded/embedded-store.ts';
import { plantCheckoutTeam } from '../helpers/decision-history.ts';
import { makeDataDir, runBinary } from './binary.ts';

describe('improvement-loop proposals rank', () => {
  let dirs: Awaited<ReturnType<typeof makeDataDir>>;
  let planted: Awaited<ReturnType<typeof plantCheckoutTeam>>;

  beforeAll(async () => {
    dirs = await makeDataDir();
    const store = createEmbeddedStore({ file: path.join(dirs.dataDir, 'store.sqlite') });
    try {
      planted = await plantCheckoutTeam(store);
    } finally {
      await store.close();
    }
  });
  afterAll(() => dirs?.remove());

  it('prints the pending proposals in learned order with the reason for each, and the basis', async () => {
    const [table, json] = await Promise.all([
      runBinary(['proposals', 'rank'], { dataDir: dirs.dataDir, cwd: dirs.cwd }),
      runBinary(['proposals', 'rank', '--json'], { dataDir: dirs.dataDir, cwd: dirs.cwd }),
    ]);
    expect(table.code).toBe(0);
    const lines = table.stdout.split('\n');
    expect(lines[0]).toMatch(/^# +id +priority +title +why$/);
    expect(lines[1]).toMatch(new RegExp(`^1 +${planted.lowCheckoutBug} +low +Empty cart crashes checkout +\\d+% likely approved`));
    expect(lines[2]).toMatch(new RegExp(`^2 +${planted.criticalDocs} +critical`));
    expect(table.stdout).toMatch(/Ranked by a model of past decisions, learned from 40 decisions/);
    const ranking = JSON.parse(json.stdout) as { method: string; ranked: { proposal: { id: string } }[] };
    expect(ranking.method).toBe('learned');
    expect(ranking.ranked.map((r) => r.proposal.id)).toEqual([planted.lowCheckoutBug, planted.criticalDocs]);
  });
});
