import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedStore } from '../../src/adapters/store/embedded/embedded-store.ts';
import type { Proposal } from '../../src/domain/proposal.ts';
import { GOOD_PATCH } from '../adapters/executor/harness.ts';
import { makeDraft } from '../helpers/drafts.ts';
import { makeDataDir, runBinary } from './binary.ts';

describe('improvement-loop proposals revise', () => {
  let dirs: Awaited<ReturnType<typeof makeDataDir>>;
  let approved: Proposal;
  const run = (...args: string[]) => runBinary(['proposals', 'revise', ...args], { dataDir: dirs.dataDir, cwd: dirs.cwd });
  const openStore = () => createEmbeddedStore({ file: path.join(dirs.dataDir, 'store.sqlite') });

  beforeAll(async () => {
    dirs = await makeDataDir();
    const store = openStore();
    try {
      const filed = await store.create(makeDraft({ patch: GOOD_PATCH }), { actor: 'cycle:daily' });
      approved = (await store.transition({ id: filed.id, to: 'approved', actor: 'alice', idempotencyKey: `a-${filed.id}` })).proposal;
    } finally {
      await store.close();
    }
  });
  afterAll(() => dirs?.remove());

  it('needs instructions (a usage error) and, offline, says revising needs ANTHROPIC_API_KEY without recording anything', async () => {
    const [bare, offline] = await Promise.all([run(approved.id), run(approved.id, '--instructions', 'Say why')]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/--instructions/);
    expect(offline.code).toBe(1);
    expect(offline.stderr).toContain('Revising needs ANTHROPIC_API_KEY');
    const store = openStore();
    try {
      expect((await store.get(approved.id))!.version).toBe(approved.version);
    } finally {
      await store.close();
    }
  }, 60_000);
});
