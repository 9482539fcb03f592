import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedStore } from '../../src/adapters/store/embedded/embedded-store.ts';
import type { Proposal } from '../../src/domain/proposal.ts';
import { makeDraft } from '../helpers/drafts.ts';
import { makeDataDir, runBinary } from './binary.ts';

describe('executing a learning proposal from the CLI', () => {
  let dirs: Awaited<ReturnType<typeof makeDataDir>>;
  let proposal: Proposal;
  const run = (...args: string[]) => runBinary(['proposals', ...args], { dataDir: dirs.dataDir, cwd: dirs.cwd });
  const openStore = () => createEmbeddedStore({ file: path.join(dirs.dataDir, 'store.sqlite') });
  const knowledge = {
    category: 'checkout-coupon',
    key: 'c8dee651582c',
    content: { answer: 'I applied the discount to your order manually.' },
  };

  beforeAll(async () => {
    dirs = await makeDataDir();
    const store = openStore();
    try {
      proposal = await store.create(makeDraft({ type: 'learning', title: 'Failure mode: checkout shows an error', knowledge }), {
        actor: 'cycle:daily',
      });
    } finally {
      await store.close();
    }
  });
  afterAll(() => dirs?.remove());

  it('publishes the entry on execute, shows it, and withdraws it on rollback, with no executor or repository involved', async () => {
    expect((await run('approve', proposal.id)).code).toBe(0);
    const executed = await run('execute', proposal.id);
    expect(executed.code, executed.stderr).toBe(0);
    expect(executed.stdout).toMatch(/it is now implemented/);
    const shown = await run('show', proposal.id);
    expect(shown.stdout).toMatch(/published\s+knowledge:checkout-coupon:c8dee651582c/);
    expect(shown.stdout).toContain('Knowledge entry (knowledge:checkout-coupon:c8dee651582c)');
    const store = openStore();
    try {
      expect((await store.getKnowledge('checkout-coupon', 'c8dee651582c'))?.content).toMatchObject({
        ...knowledge.content,
        proposalId: proposal.id,
      });
      const rolledBack = await run('rollback', proposal.id, '--reason', 'the manual discount is not a policy');
      expect(rolledBack.code, rolledBack.stderr).toBe(0);
      expect(await store.getKnowledge('checkout-coupon', 'c8dee651582c')).toBeNull();
      expect((await store.get(proposal.id))?.history.at(-1)?.reason).toMatch(/withdrew knowledge:checkout-coupon:c8dee651582c/);
    } finally {
      await store.close();
    }
  }, 120_000);
});
