import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmbeddedStore } from '../../src/adapters/store/embedded/embedded-store.ts';
import type { Proposal } from '../../src/domain/proposal.ts';
import type { ListResult } from '../../src/ports/store.ts';
import { makeDraft } from '../helpers/drafts.ts';
import { ANSI_ESCAPE, makeDataDir, runBinary } from './binary.ts';

describe('improvement-loop proposals', () => {
  let dirs: Awaited<ReturnType<typeof makeDataDir>>;
  let toApprove: Proposal;
  let toReject: Proposal;
  const me = `cli:${os.userInfo().username}`;
  const run = (...args: string[]) => runBinary(['proposals', ...args], { dataDir: dirs.dataDir, cwd: dirs.cwd });
  // The file src/app.ts opens when REDIS_URL is unset: the CLI and this store share it.
  const openStore = () => createEmbeddedStore({ file: path.join(dirs.dataDir, 'store.sqlite') });

  beforeAll(async () => {
    dirs = await makeDataDir();
    const store = openStore();
    try {
      toApprove = await store.create(makeDraft({ type: 'performance', title: 'Cache GET /api/orders/:id' }), { actor: 'cycle:daily' });
      toReject = await store.create(
        makeDraft({ type: 'bug_fix', priority: 'low', title: 'Handle an empty cart at checkout', patch: '--- a/x\n+++ b/x\n' }),
        { actor: 'cycle:daily' },
      );
    } finally {
      await store.close();
    }
  });
  afterAll(() => dirs?.remove());

  it('lists what the store holds, as a table or as one JSON document, filtered and paginated', async () => {
    const [table, json, filtered, paged] = await Promise.all([
      run('list'),
      run('list', '--json'),
      run('list', '--status', 'pending', '--type', 'bug_fix', '--json'),
      run('list', '--limit', '1', '--offset', '1', '--json'),
    ]);
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^id +status +type +priority +title$/);
    expect(table.stdout).toMatch(new RegExp(`${toApprove.id} +pending +performance +high +Cache GET /api/orders/:id`));
    expect(table.stdout).toMatch(new RegExp(`${toReject.id} +pending +bug_fix +low +Handle an empty cart at checkout`));
    expect(table.stdout).toMatch(/1-2 of 2/);
    expect(table.stdout).not.toMatch(ANSI_ESCAPE);

    const all = JSON.parse(json.stdout) as ListResult;
    // The API's list shape, nothing else.
    expect(Object.keys(all).sort()).toEqual(['items', 'limit', 'offset', 'total']);
    expect(all).toMatchObject({ total: 2, limit: 20, offset: 0 });
    expect(all.items.map((p) => p.id).sort()).toEqual([toApprove.id, toReject.id].sort());
    expect((JSON.parse(filtered.stdout) as ListResult).items.map((p) => p.id)).toEqual([toReject.id]);
    const page = JSON.parse(paged.stdout) as ListResult;
    expect(page).toMatchObject({ total: 2, limit: 1, offset: 1 });
    expect(page.items).toHaveLength(1);
  });

  it('approves and rejects, recording the actor (cli:<user> unless --as) and the reason', async () => {
    const [approved, rejected] = await Promise.all([
      run('approve', toApprove.id, '--as', 'alice', '--auto-execute', '--json'),
      run('reject', toReject.id, '--reason', 'Carts are never empty at checkout'),
    ]);
    expect(approved.code).toBe(0);
    expect(JSON.parse(approved.stdout)).toMatchObject({ id: toApprove.id, status: 'approved', version: 2, autoExecute: true });
    expect(approved.stderr).toBe('');
    expect(rejected.code).toBe(0);
    expect(rejected.stdout).toBe(`Rejected ${toReject.id} as ${me}: it is now rejected (version 2).\n`);
    // The decision's info log line is for --verbose: a person reads the result line alone (warnings
    // about this machine, such as running as root, may still come, each on one human line).
    expect(rejected.stderr).not.toMatch(/proposal decision|^\{/m);

    const store = openStore();
    try {
      const approvedNow = await store.get(toApprove.id);
      const rejectedNow = await store.get(toReject.id);
      expect(approvedNow?.history.at(-1)).toMatchObject({ actor: 'alice', action: 'approved', from: 'pending', to: 'approved' });
      expect(rejectedNow?.history.at(-1)).toMatchObject({ actor: me, action: 'rejected', reason: 'Carts are never empty at checkout' });
    } finally {
      await store.close();
    }
  });

  it('shows every field, evidence, plans and history; refuses illegal moves; fails an execution that has no change to make', async () => {
    const [shownJson, shown, shownApproved, approveRejected, rejectApproved] = await Promise.all([
      run('show', toApprove.id, '--json'),
      run('show', toReject.id),
      run('show', toApprove.id),
      run('approve', toReject.id),
      run('reject', toApprove.id, '--reason', 'changed my mind'),
    ]);
    // No patch and no ANTHROPIC_API_KEY for the editing agent: the executor has nothing to apply.
    const executeApproved = await run('execute', toApprove.id);
    expect(shownJson.code).toBe(0);
    const proposal = JSON.parse(shownJson.stdout) as Proposal;
    expect(proposal).toMatchObject({ id: toApprove.id, status: 'approved', evidence: toApprove.evidence, testPlan: toApprove.testPlan });
    expect(proposal.history.map((h) => [h.actor, h.action])).toEqual([
      ['cycle:daily', 'created'],
      ['alice', 'approved'],
    ]);

    expect(shown.code).toBe(0);
    expect(shown.stdout).not.toMatch(ANSI_ESCAPE);
    for (const text of [
      `${toReject.id}  Handle an empty cart at checkout`,
      'status         rejected',
      'p95 latency: 2840 ms',
      toReject.implementationPlan,
      toReject.rollbackPlan,
      toReject.testPlan,
      toReject.risk,
      '+++ b/x',
    ]) {
      expect(shown.stdout).toContain(text);
    }
    expect(shown.stdout).toMatch(new RegExp(`${me} +rejected +pending → rejected: Carts are never empty at checkout`));
    // Decided proposals say nothing of Execute; an approved one without a patch or an agent says it cannot be.
    expect(shown.stdout).not.toMatch(/^  execute /m);
    expect(shownApproved.stdout).toMatch(/^  execute +no: This proposal has no patch and no editing agent is configured/m);

    expect(approveRejected.code).toBe(1);
    // An expected refusal is one line, the last: no JSON, no stack.
    expect(approveRejected.stderr).toMatch(new RegExp(`(^|\n)error: Proposal ${toReject.id} cannot go from rejected to approved[^\n]*\n$`));
    expect(approveRejected.stderr).not.toMatch(/^\{|^\s+at /m);
    expect(executeApproved.code, executeApproved.stderr).toBe(1);
    expect(executeApproved.stdout).toMatch(new RegExp(`Executed ${toApprove.id} as ${me}: it is now failed`));
    expect(executeApproved.stdout).toMatch(/Execution failed: .*(patch|agent)/i);
    expect(rejectApproved.code).toBe(1);
    expect(rejectApproved.stderr).toMatch(/cannot go from approved to rejected/);
  }, 90_000);

  it('refuses a rollback without a reason (usage) and of a proposal that was never implemented', async () => {
    const [noReason, notImplemented] = await Promise.all([run('rollback', toReject.id), run('rollback', toReject.id, '--reason', 'undo')]);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toMatch(/--reason/);
    expect(notImplemented.code).toBe(1);
    expect(notImplemented.stderr).toMatch(new RegExp(`${toReject.id} cannot go from rejected to rolled_back`));
  });
});
