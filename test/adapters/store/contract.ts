/**
 * The store contract: every ProposalStore adapter runs this same suite
 * (test/adapters/store/redis.test.ts, test/adapters/store/embedded.test.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, IllegalTransition, ProposalNotFound } from '../../../src/domain/errors.ts';
import type { Deployment } from '../../../src/domain/deployment.ts';
import type { ChangeOutcome } from '../../../src/domain/outcome.ts';
import type { ProposalStore } from '../../../src/ports/store.ts';
import { makeDraft } from '../../helpers/drafts.ts';

export interface StoreHarness {
  store: ProposalStore;
  /** Another store instance over the same data, with its own connection (another process, in effect). */
  openAnother(): Promise<ProposalStore>;
  cleanup(): Promise<void>;
}

export function describeStoreContract(name: string, makeHarness: () => Promise<StoreHarness>): void {
  describe(`${name} store contract`, () => {
    let harness: StoreHarness;
    let store: ProposalStore;
    const others: ProposalStore[] = [];

    beforeEach(async () => {
      harness = await makeHarness();
      store = harness.store;
    });
    afterEach(async () => {
      await Promise.all(others.splice(0).map((s) => s.close()));
      await harness.cleanup();
    });

    async function another(): Promise<ProposalStore> {
      const s = await harness.openAnother();
      others.push(s);
      return s;
    }

    it('files a new proposal as pending, version 1, with a "created" history entry', async () => {
      const draft = makeDraft();
      const created = await store.create(draft, { actor: 'cycle:daily' });
      expect(created.id).toMatch(/^[a-z0-9][a-z0-9_-]+$/);
      expect(created).toMatchObject({ status: 'pending', version: 1, title: draft.title, fingerprint: draft.fingerprint });
      expect(created.history).toEqual([
        expect.objectContaining({ version: 1, actor: 'cycle:daily', action: 'created', from: null, to: 'pending' }),
      ]);
      const read = await store.get(created.id);
      expect(read).toEqual(created);
    });

    it('keeps every field of the draft, the patch and the evidence exactly', async () => {
      const draft = makeDraft({
        type: 'code_quality',
        category: 'tests',
        patch: 'diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-a\n+b ünïcødé 🚀 "quoted" \\ back\n',
        evidence: [
          { label: 'big', value: 12345678901234 },
          { label: 'ratio', value: 0.125, unit: '%' },
        ],
      });
      const created = await store.create(draft, { actor: 't', id: 'codequality-fixed-id' });
      expect(created.id).toBe('codequality-fixed-id');
      const read = await store.get(created.id);
      expect(read).toMatchObject(draft);
    });

    it('answers null for an unknown id and ProposalNotFound when asked to move it', async () => {
      expect(await store.get('nope-123')).toBeNull();
      await expect(store.transition({ id: 'nope-123', to: 'approved', actor: 'u', idempotencyKey: 'k-unknown' })).rejects.toBeInstanceOf(
        ProposalNotFound,
      );
    });

    it('walks the whole lifecycle, one history entry and one version per move', async () => {
      const p = await store.create(makeDraft(), { actor: 'cycle' });
      const steps = ['approved', 'executing', 'implemented', 'rolled_back'] as const;
      for (const [i, to] of steps.entries()) {
        const { outcome, proposal } = await store.transition({ id: p.id, to, actor: `user${i}`, idempotencyKey: `walk-${p.id}-${to}` });
        expect(outcome).toBe('applied');
        expect(proposal.status).toBe(to);
        expect(proposal.version).toBe(i + 2);
      }
      const final = await store.get(p.id);
      expect(final?.history.map((h) => [h.from, h.to, h.version])).toEqual([
        [null, 'pending', 1],
        ['pending', 'approved', 2],
        ['approved', 'executing', 3],
        ['executing', 'implemented', 4],
        ['implemented', 'rolled_back', 5],
      ]);
    });

    it('lets a failed execution be approved again (retry)', async () => {
      const p = await store.create(makeDraft(), { actor: 'cycle' });
      for (const to of ['approved', 'executing', 'failed', 'approved'] as const) {
        await store.transition({ id: p.id, to, actor: 'u', idempotencyKey: `retry-${p.id}-${to}-${Math.random()}` });
      }
      expect((await store.get(p.id))?.status).toBe('approved');
    });

    it('refuses a move outside the lifecycle with IllegalTransition and changes nothing', async () => {
      const p = await store.create(makeDraft(), { actor: 'cycle' });
      await store.transition({ id: p.id, to: 'rejected', actor: 'u', reason: 'not now', idempotencyKey: `rej-${p.id}` });
      const before = await store.get(p.id);
      for (const to of ['approved', 'executing', 'implemented', 'pending', 'rejected'] as const) {
        const error = await store
          .transition({ id: p.id, to, actor: 'u', idempotencyKey: `illegal-${p.id}-${to}` })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(IllegalTransition);
        expect((error as Error).message).toContain('rejected');
      }
      expect(await store.get(p.id)).toEqual(before);
    });

    it('answers ConflictError when the caller expected another status or version', async () => {
      const p = await store.create(makeDraft(), { actor: 'cycle' });
      await store.transition({ id: p.id, to: 'approved', actor: 'alice', idempotencyKey: `a-${p.id}` });
      const wrongStatus = await store
        .transition({ id: p.id, to: 'rejected', expectedStatus: 'pending', actor: 'bob', idempotencyKey: `b-${p.id}` })
        .catch((e: unknown) => e);
      expect(wrongStatus).toBeInstanceOf(ConflictError);
      expect((wrongStatus as Error).message).toMatch(/already approved by alice/);
      const wrongVersion = await store
        .transition({ id: p.id, to: 'executing', expectedVersion: 1, actor: 'bob', idempotencyKey: `c-${p.id}` })
        .catch((e: unknown) => e);
      expect(wrongVersion).toBeInstanceOf(ConflictError);
      expect((await store.get(p.id))?.version).toBe(2);
    });

    it('returns the first result for a replayed idempotency key and applies it once', async () => {
      const p = await store.create(makeDraft(), { actor: 'cycle' });
      const request = { id: p.id, to: 'approved' as const, actor: 'alice', idempotencyKey: `same-${p.id}` };
      const first = await store.transition(request);
      const replay = await store.transition(request);
      expect(first.outcome).toBe('applied');
      expect(replay.outcome).toBe('duplicate');
      expect(replay.proposal.status).toBe('approved');
      const read = await store.get(p.id);
      expect(read?.version).toBe(2);
      expect(read?.history).toHaveLength(2);
    });

    it('writes transition changes (execution result, approved patch hash) atomically with the move', async () => {
      const p = await store.create(makeDraft({ patch: 'diff' }), { actor: 'cycle' });
      await store.transition({
        id: p.id,
        to: 'approved',
        actor: 'alice',
        idempotencyKey: `h-${p.id}`,
        changes: { approvedPatchHash: 'abc123', autoExecute: false },
      });
      await store.transition({ id: p.id, to: 'executing', actor: 'executor', idempotencyKey: `e-${p.id}` });
      await store.transition({
        id: p.id,
        to: 'implemented',
        actor: 'executor',
        idempotencyKey: `i-${p.id}`,
        changes: { execution: { branch: `improvement/${p.id}`, commit: 'deadbeef', testSummary: '12 passed' } },
      });
      const read = await store.get(p.id);
      expect(read).toMatchObject({ approvedPatchHash: 'abc123', execution: { commit: 'deadbeef', testSummary: '12 passed' } });
    });

    it('notes a pull request on an implemented proposal without moving it, once per key, and lets it be merged', async () => {
      const p = await store.create(makeDraft(), { actor: 'cycle' });
      for (const to of ['approved', 'executing', 'implemented'] as const)
        await store.transition({ id: p.id, to, actor: 'u', idempotencyKey: `pr-${p.id}-${to}` });
      const pullRequest = { host: 'github' as const, number: 7, url: 'https://github.example/acme/shop/pull/7', state: 'open' as const };
      const note = {
        id: p.id,
        actor: 'github',
        action: 'pull_request_opened',
        reason: '#7',
        idempotencyKey: `note-${p.id}`,
        changes: { pullRequest },
      };
      const first = await store.note(note);
      const replay = await store.note(note);
      expect(first.outcome).toBe('applied');
      expect(replay.outcome).toBe('duplicate');
      expect(first.proposal).toMatchObject({ status: 'implemented', version: 5, pullRequest });
      const merged = await store.transition({ id: p.id, to: 'merged', actor: 'github', idempotencyKey: `merged-${p.id}` });
      expect(merged.proposal.status).toBe('merged');
      const read = await store.get(p.id);
      expect(read?.history.slice(-2).map((h) => [h.action, h.from, h.to, h.reason])).toEqual([
        ['pull_request_opened', 'implemented', 'implemented', '#7'],
        ['merged', 'implemented', 'merged', undefined],
      ]);
      expect(read?.pullRequest).toEqual(pullRequest);
      expect((await store.counters())['current:status:merged']).toBe(1);
      expect((await store.list({ status: 'merged', limit: 10, offset: 0 })).total).toBe(1);
      await expect(store.note({ ...note, id: 'nope-123', idempotencyKey: 'note-unknown' })).rejects.toBeInstanceOf(ProposalNotFound);
    });

    it('writes a revised patch with its note, and lists show the proposal still has a patch', async () => {
      const p = await store.create(makeDraft({ patch: 'old patch\n' }), { actor: 'cycle' });
      await store.transition({
        id: p.id,
        to: 'approved',
        actor: 'u',
        idempotencyKey: `rev-${p.id}-approved`,
        changes: { approvedPatchHash: 'old' },
      });
      const preflight = { passed: true, summary: '3 passed', at: '2026-12-06T10:00:00.000Z' };
      const noted = await store.note({
        id: p.id,
        actor: 'slack:U1',
        action: 'revised',
        reason: 'Shorter. Trial passed: 3 passed.',
        idempotencyKey: `rev-${p.id}`,
        changes: { patch: 'new patch\n', changesTests: true, preflight, approvedPatchHash: 'new', autoExecute: false },
      });
      expect(noted.proposal).toMatchObject({
        status: 'approved',
        patch: 'new patch\n',
        changesTests: true,
        preflight,
        approvedPatchHash: 'new',
      });
      expect(await store.get(p.id)).toMatchObject({ patch: 'new patch\n', approvedPatchHash: 'new', autoExecute: false });
      const row = (await store.list({ status: 'approved', limit: 500, offset: 0 })).items.find((item) => item.id === p.id);
      expect(row).toMatchObject({ hasPatch: true, approvedPatchHash: 'new' });
    });

    it('lands every note written while another connection moves the proposal', async () => {
      const p = await store.create(makeDraft(), { actor: 'cycle' });
      for (const to of ['approved', 'executing', 'implemented'] as const)
        await store.transition({ id: p.id, to, actor: 'u', idempotencyKey: `race-${p.id}-${to}` });
      const stores = await Promise.all(Array.from({ length: 3 }, () => another()));
      const notes = stores.flatMap((s, i) =>
        [0, 1].map((j) => s.note({ id: p.id, actor: 'github', action: 'checks_completed', idempotencyKey: `race-note-${p.id}-${i}-${j}` })),
      );
      const move = store.transition({ id: p.id, to: 'merged', actor: 'github', idempotencyKey: `race-merge-${p.id}` });
      const results = await Promise.all([...notes, move]);
      expect(results.every((r) => r.outcome === 'applied')).toBe(true);
      const read = (await store.get(p.id))!;
      expect(read.status).toBe('merged');
      expect(read.history.filter((h) => h.action === 'checks_completed')).toHaveLength(6);
      expect(read.history.map((h) => h.version)).toEqual(read.history.map((_, i) => i + 1));
    });

    it('gives exactly one winner among 50 concurrent conflicting approvals from separate connections', async () => {
      const p = await store.create(makeDraft(), { actor: 'cycle' });
      const stores = await Promise.all(Array.from({ length: 5 }, () => another()));
      const results = await Promise.allSettled(
        Array.from({ length: 50 }, (_, i) =>
          stores[i % stores.length]!.transition({
            id: p.id,
            to: i % 2 ? 'approved' : 'rejected',
            expectedStatus: 'pending',
            actor: `user${i}`,
            idempotencyKey: `race-${p.id}-${i}`,
          }),
        ),
      );
      const applied = results.filter((r) => r.status === 'fulfilled');
      const conflicts = results.filter((r) => r.status === 'rejected' && r.reason instanceof ConflictError);
      expect(applied).toHaveLength(1);
      expect(conflicts).toHaveLength(49);
      const read = await store.get(p.id);
      expect(read?.version).toBe(2);
      expect(read?.history).toHaveLength(2);
    });

    it('refuses a second open proposal for the same fingerprint, and allows one after rejection', async () => {
      const draft = makeDraft();
      const first = await store.create(draft, { actor: 'cycle' });
      const error = await store.create({ ...draft, title: 'again' }, { actor: 'cycle' }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as Error).message).toContain(first.id);
      await store.transition({ id: first.id, to: 'rejected', actor: 'u', idempotencyKey: `fr-${first.id}` });
      const second = await store.create({ ...draft, title: 'worse now' }, { actor: 'cycle' });
      expect(second.id).not.toBe(first.id);
      expect((await store.findByFingerprint(draft.fingerprint))?.id).toBe(second.id);
    });

    it('files one proposal when 20 creations of the same finding race', async () => {
      const draft = makeDraft();
      const stores = await Promise.all(Array.from({ length: 4 }, () => another()));
      const results = await Promise.allSettled(stores.flatMap((s) => Array.from({ length: 5 }, () => s.create(draft, { actor: 'cycle' }))));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect((await store.list({ limit: 50, offset: 0 })).total).toBe(1);
    });

    it('finds the newest proposal by fingerprint, or null', async () => {
      expect(await store.findByFingerprint('never-seen')).toBeNull();
      const p = await store.create(makeDraft({ fingerprint: 'fp-1' }), { actor: 'cycle' });
      expect((await store.findByFingerprint('fp-1'))?.id).toBe(p.id);
    });

    it('refreshes an open proposal with new evidence as a history entry, keeping status and id', async () => {
      const p = await store.create(makeDraft(), { actor: 'cycle' });
      const refreshed = await store.refresh({
        id: p.id,
        actor: 'cycle:daily',
        reason: 'seen again',
        expectedVersion: 1,
        refresh: { evidence: [{ label: 'p95 latency', value: 3100, unit: 'ms' }], priority: 'critical' },
      });
      expect(refreshed).toMatchObject({ id: p.id, status: 'pending', version: 2, priority: 'critical' });
      expect(refreshed.evidence).toEqual([{ label: 'p95 latency', value: 3100, unit: 'ms' }]);
      expect(refreshed.history[1]).toMatchObject({ action: 'evidence_updated', from: 'pending', to: 'pending', reason: 'seen again' });
      expect(await store.get(p.id)).toEqual(refreshed);
      await expect(store.refresh({ id: p.id, actor: 'c', expectedVersion: 1, refresh: { summary: 'stale' } })).rejects.toBeInstanceOf(
        ConflictError,
      );
    });

    it('refuses to refresh a terminal proposal or an unknown one', async () => {
      const p = await store.create(makeDraft(), { actor: 'cycle' });
      await store.transition({ id: p.id, to: 'rejected', actor: 'u', idempotencyKey: `rr-${p.id}` });
      await expect(store.refresh({ id: p.id, actor: 'c', expectedVersion: 2, refresh: { summary: 'x' } })).rejects.toBeInstanceOf(
        ConflictError,
      );
      await expect(store.refresh({ id: 'missing-1', actor: 'c', expectedVersion: 1, refresh: {} })).rejects.toBeInstanceOf(
        ProposalNotFound,
      );
    });

    it('lists newest first, filtered by status and type, with totals and pages', async () => {
      const made = [];
      for (let i = 0; i < 7; i++) {
        made.push(await store.create(makeDraft({ type: i % 2 ? 'bug_fix' : 'feature' }), { actor: 'cycle' }));
        await new Promise((r) => setTimeout(r, 2));
      }
      await store.transition({ id: made[0]!.id, to: 'approved', actor: 'u', idempotencyKey: `l-${made[0]!.id}` });
      const all = await store.list({ limit: 3, offset: 0 });
      expect(all.total).toBe(7);
      expect(all.items.map((p) => p.id)).toEqual([made[6]!.id, made[5]!.id, made[4]!.id]);
      const page2 = await store.list({ limit: 3, offset: 3 });
      expect(page2.items.map((p) => p.id)).toEqual([made[3]!.id, made[2]!.id, made[1]!.id]);
      const features = await store.list({ type: 'feature', limit: 50, offset: 0 });
      expect(features.total).toBe(4);
      expect(features.items.every((p) => p.type === 'feature')).toBe(true);
      const pendingBugs = await store.list({ type: 'bug_fix', status: 'pending', limit: 50, offset: 0 });
      expect(pendingBugs.total).toBe(3);
      const approved = await store.list({ status: 'approved', limit: 50, offset: 0 });
      expect(approved.items.map((p) => p.id)).toEqual([made[0]!.id]);
      expect(approved.items[0]).not.toHaveProperty('history');
      expect(approved.items[0]?.hasPatch).toBe(false);
    });

    it('sorts by status, pending first and newest first within a status, page by page, with exact totals', async () => {
      const statuses = ['rejected', 'pending', 'approved', 'pending', 'implemented', 'rejected', 'failed', 'approved'] as const;
      const made: { id: string; status: string; type: string }[] = [];
      for (const [i, status] of statuses.entries()) {
        const p = await store.create(makeDraft({ type: i % 2 ? 'bug_fix' : 'feature' }), { actor: 'cycle' });
        const key = (step: string) => `st-${step}-${p.id}`;
        if (status === 'rejected') await store.transition({ id: p.id, to: 'rejected', actor: 'u', reason: 'no', idempotencyKey: key('r') });
        if (status !== 'pending' && status !== 'rejected')
          await store.transition({ id: p.id, to: 'approved', actor: 'u', idempotencyKey: key('a') });
        if (status === 'implemented' || status === 'failed') {
          await store.transition({ id: p.id, to: 'executing', actor: 'u', idempotencyKey: key('x') });
          await store.transition({
            id: p.id,
            to: status,
            actor: 'u',
            idempotencyKey: key('d'),
            ...(status === 'failed' ? { reason: 'tests failed' } : {}),
          });
        }
        made.push({ id: p.id, status, type: p.type });
        await new Promise((r) => setTimeout(r, 2));
      }
      const order = ['pending', 'approved', 'executing', 'failed', 'implemented', 'rolled_back', 'rejected'];
      const newestFirst = [...made].reverse();
      const expected = order.flatMap((status) => newestFirst.filter((p) => p.status === status)).map((p) => p.id);
      const pages = [];
      for (let offset = 0; offset < made.length; offset += 3) {
        const page = await store.list({ sort: 'status', limit: 3, offset });
        expect(page.total).toBe(made.length);
        pages.push(...page.items.map((p) => p.id));
      }
      expect(pages).toEqual(expected);
      const reversed = order
        .toReversed()
        .flatMap((status) => newestFirst.filter((p) => p.status === status))
        .map((p) => p.id);
      expect((await store.list({ sort: 'status', direction: 'desc', limit: 50, offset: 0 })).items.map((p) => p.id)).toEqual(reversed);
      const bugs = await store.list({ sort: 'status', type: 'bug_fix', limit: 50, offset: 0 });
      expect(bugs.items.map((p) => p.id)).toEqual(expected.filter((id) => made.find((p) => p.id === id)!.type === 'bug_fix'));
      expect(bugs.total).toBe(4);
      const oldest = await store.list({ sort: 'created', direction: 'asc', limit: 2, offset: 1 });
      expect(oldest.items.map((p) => p.id)).toEqual([made[1]!.id, made[2]!.id]);
      expect((await store.list({ sort: 'status', limit: 3, offset: 7 })).items.map((p) => p.id)).toEqual([expected[7]]);
      expect((await store.list({ sort: 'status', limit: 3, offset: 20 })).items).toEqual([]);
    });

    it('lists rows without patch or history that follow every refresh and transition', async () => {
      const p = await store.create(makeDraft({ patch: 'diff --git a/x b/x\n' }), { actor: 'c' });
      const [row] = (await store.list({ limit: 1, offset: 0 })).items;
      expect(row).toMatchObject({ id: p.id, version: 1, status: 'pending', hasPatch: true });
      expect(row).not.toHaveProperty('patch');
      expect(row).not.toHaveProperty('history');
      const refreshed = await store.refresh({
        id: p.id,
        expectedVersion: 1,
        actor: 'cycle',
        refresh: { evidence: [{ label: 'seen again', value: 2 }] },
      });
      const [afterRefresh] = (await store.list({ limit: 1, offset: 0 })).items;
      expect(afterRefresh).toMatchObject({ version: refreshed.version, evidence: [{ label: 'seen again', value: 2 }] });
      await store.transition({ id: p.id, to: 'rejected', actor: 'u', reason: 'no', idempotencyKey: `rw-${p.id}` });
      const [afterReject] = (await store.list({ status: 'rejected', limit: 1, offset: 0 })).items;
      expect(afterReject).toMatchObject({ id: p.id, status: 'rejected', version: refreshed.version + 1, hasPatch: true });
      expect((await store.list({ status: 'pending', limit: 1, offset: 0 })).total).toBe(0);
    });

    it('gives the rows of a page as the JSON text of what list gives', async () => {
      for (let i = 0; i < 3; i++) await store.create(makeDraft({ patch: i ? 'diff --git a/x b/x\n' : undefined }), { actor: 'c' });
      const query = { sort: 'status' as const, limit: 2, offset: 1 };
      const { rows, total } = await store.listRows(query);
      expect(total).toBe(3);
      expect(rows.map((row) => JSON.parse(row) as unknown)).toEqual((await store.list(query)).items);
    });

    it('refuses a sort it does not know', async () => {
      await expect(store.list({ sort: 'priority' as never, limit: 1, offset: 0 })).rejects.toThrow(/sort must be one of created, status/);
    });

    it('files a security proposal with its category, lists it by type and counts it', async () => {
      const made = await store.create(makeDraft({ type: 'security', category: 'secret', fingerprint: 'security:secret:a.js:rule:0123' }), {
        actor: 'c',
      });
      await store.create(makeDraft({ type: 'bug_fix' }), { actor: 'c' });
      expect(made.id).toMatch(/^security-/);
      const listed = await store.list({ type: 'security', status: 'pending', limit: 50, offset: 0 });
      expect(listed.items.map((p) => [p.id, p.type, p.category])).toEqual([[made.id, 'security', 'secret']]);
      expect((await store.findByFingerprint('security:secret:a.js:rule:0123'))?.id).toBe(made.id);
      expect(await store.counters()).toMatchObject({ 'proposed:type:security': 1 });
    });

    it('counts proposals, decisions and current statuses', async () => {
      const a = await store.create(makeDraft({ type: 'bug_fix' }), { actor: 'c' });
      const b = await store.create(makeDraft({ type: 'feature' }), { actor: 'c' });
      await store.create(makeDraft({ type: 'feature' }), { actor: 'c' });
      await store.transition({ id: a.id, to: 'approved', actor: 'u', idempotencyKey: `c1-${a.id}` });
      await store.transition({ id: b.id, to: 'rejected', actor: 'u', idempotencyKey: `c2-${b.id}` });
      const counters = await store.counters();
      expect(counters).toMatchObject({
        proposed: 3,
        'proposed:type:feature': 2,
        'proposed:type:bug_fix': 1,
        'current:status:pending': 1,
        'current:status:approved': 1,
        'current:status:rejected': 1,
        'decided:approved': 1,
        'decided:rejected': 1,
        'entered:approved:type:bug_fix': 1,
      });
    });

    it('shows recent activity newest first across proposals', async () => {
      const a = await store.create(makeDraft(), { actor: 'c' });
      await store.transition({ id: a.id, to: 'approved', actor: 'alice', idempotencyKey: `ra-${a.id}` });
      const activity = await store.recentActivity(10);
      expect(activity[0]).toMatchObject({ proposalId: a.id, action: 'approved', actor: 'alice', title: a.title, type: a.type });
      expect(activity[1]).toMatchObject({ proposalId: a.id, action: 'created' });
      expect(await store.recentActivity(1)).toHaveLength(1);
    });

    it('sweeps terminal proposals after retention but keeps open ones and the cumulative counters', async () => {
      const open = await store.create(makeDraft(), { actor: 'c' });
      const done = await store.create(makeDraft(), { actor: 'c' });
      await store.transition({ id: done.id, to: 'rejected', actor: 'u', idempotencyKey: `sw-${done.id}` });
      expect(await store.sweepExpired(new Date())).toBe(0);
      const later = new Date(Date.now() + 400 * 24 * 3600 * 1000);
      expect(await store.sweepExpired(later)).toBe(1);
      expect(await store.get(done.id)).toBeNull();
      expect(await store.get(open.id)).not.toBeNull();
      expect((await store.list({ limit: 10, offset: 0 })).total).toBe(1);
      expect((await store.list({ status: 'rejected', limit: 10, offset: 0 })).total).toBe(0);
      expect((await store.list({ sort: 'status', limit: 10, offset: 0 })).items.map((p) => p.id)).toEqual([open.id]);
      const counters = await store.counters();
      expect(counters['proposed']).toBe(2);
      expect(counters['decided:rejected']).toBe(1);
      expect(counters['current:status:rejected'] ?? 0).toBe(0);
    });

    it('hands out a quota atomically: 20 racing takers of a quota of 3 get exactly 3', async () => {
      const stores = await Promise.all(Array.from({ length: 4 }, () => another()));
      const name = `quota-${Math.random()}`;
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => stores[i % 4]!.takeQuota(name, 3, 60_000)));
      expect(results.filter(Boolean)).toHaveLength(3);
      expect(await store.takeQuota(name, 3, 60_000)).toBe(false);
    });

    it('records one performance gain per proposal', async () => {
      await store.recordGain({
        proposalId: 'perf-1',
        endpoint: '/a',
        beforeMs: 2500,
        afterMs: 900,
        measuredAt: '2026-01-02T00:00:00.000Z',
      });
      await store.recordGain({
        proposalId: 'perf-1',
        endpoint: '/a',
        beforeMs: 2500,
        afterMs: 800,
        measuredAt: '2026-01-03T00:00:00.000Z',
      });
      await store.recordGain({
        proposalId: 'perf-2',
        endpoint: '/b',
        beforeMs: 3000,
        afterMs: 2000,
        measuredAt: '2026-01-03T00:00:00.000Z',
      });
      const gains = await store.listGains();
      expect(gains).toHaveLength(2);
      expect(gains.find((g) => g.proposalId === 'perf-1')?.afterMs).toBe(800);
    });

    it('records one outcome per proposal, exactly as given, newest measurement first', async () => {
      const outcome = (proposalId: string, measuredAt: string, verdict: 'improved' | 'worse'): ChangeOutcome => ({
        proposalId,
        type: 'performance',
        measure: 'hourly p95 of GET /api/orders/:id',
        changedAt: '2026-01-10T00:00:00.000Z',
        marker: 'implemented',
        windowDays: 7,
        before: 2840.5,
        after: 1210,
        unit: 'ms',
        test: 'mann-whitney',
        effect: { kind: 'ratio', estimate: 0.426, low: 0.39, high: 0.47 },
        pValue: 1.2e-9,
        verdict,
        measuredAt,
      });
      await store.recordOutcome(outcome('p1', '2026-01-18T00:00:00.000Z', 'improved'));
      await store.recordOutcome(outcome('p2', '2026-01-19T00:00:00.000Z', 'worse'));
      await store.recordOutcome(outcome('p1', '2026-01-20T00:00:00.000Z', 'worse'));
      const outcomes = await store.listOutcomes();
      expect(outcomes.map((o) => [o.proposalId, o.verdict])).toEqual([
        ['p1', 'worse'],
        ['p2', 'worse'],
      ]);
      expect(outcomes[1]).toEqual(outcome('p2', '2026-01-19T00:00:00.000Z', 'worse'));
    });

    it('records a deploy marker once per id: a replay is a duplicate, other values under that id a conflict that keeps the first', async () => {
      const deploy = (id: string, deployedAt: string, commit = 'abc1234'): Deployment => ({
        id,
        deployedAt,
        commit,
        environment: 'production',
        source: 'api',
      });
      expect(await store.recordDeployment(deploy('d2', '2026-01-12T10:00:00.000Z'))).toEqual({
        result: 'recorded',
        deployment: deploy('d2', '2026-01-12T10:00:00.000Z'),
      });
      await store.recordDeployment(deploy('d1', '2026-01-11T10:00:00.000Z'));
      await store.recordDeployment(deploy('d3', '2026-01-13T10:00:00.000Z'));
      expect((await store.recordDeployment(deploy('d2', '2026-01-12T10:00:00.000Z'))).result).toBe('duplicate');
      const conflict = await store.recordDeployment(deploy('d2', '2026-01-12T11:00:00.000Z', 'fff9999'));
      expect(conflict).toEqual({ result: 'conflict', deployment: deploy('d2', '2026-01-12T10:00:00.000Z') });
      const window = { from: new Date('2026-01-11T10:00:00.000Z'), to: new Date('2026-01-13T10:00:00.000Z') };
      // [from, to): d1 at the start is in, d3 at the end is out; oldest first.
      expect((await store.listDeployments(window)).map((d) => [d.id, d.commit])).toEqual([
        ['d1', 'abc1234'],
        ['d2', 'abc1234'],
      ]);
    });

    it('stores and lists knowledge entries by category, newest first', async () => {
      await store.putKnowledge({
        category: 'billing',
        key: 'refunds',
        content: { answer: 'Refunds take 5 days' },
        createdAt: '2026-01-01T00:00:00.000Z',
      });
      await store.putKnowledge({
        category: 'billing',
        key: 'invoices',
        content: { answer: 'Invoices are monthly' },
        createdAt: '2026-01-02T00:00:00.000Z',
      });
      await store.putKnowledge({ category: 'shipping', key: 'eta', content: { answer: '3 days' }, createdAt: '2026-01-03T00:00:00.000Z' });
      const billing = await store.listKnowledge('billing', 10);
      expect(billing.map((k) => k.key)).toEqual(['invoices', 'refunds']);
      expect((await store.listKnowledge(undefined, 10)).map((k) => k.key)).toEqual(['eta', 'invoices', 'refunds']);
    });

    it('reads one knowledge entry by its key and withdraws it from every list', async () => {
      const entry = { category: 'billing', key: 'refunds:annual', content: { answer: 'Pro rata' }, createdAt: '2026-01-01T00:00:00.000Z' };
      await store.putKnowledge(entry);
      await store.putKnowledge({ ...entry, key: 'invoices', createdAt: '2026-01-02T00:00:00.000Z' });
      expect(await store.getKnowledge('billing', 'refunds:annual')).toEqual(entry);
      expect(await store.deleteKnowledge('billing', 'refunds:annual')).toBe(true);
      expect(await store.getKnowledge('billing', 'refunds:annual')).toBeNull();
      expect((await store.listKnowledge('billing', 10)).map((k) => k.key)).toEqual(['invoices']);
      expect((await store.listKnowledge(undefined, 10)).map((k) => k.key)).toEqual(['invoices']);
      expect(await store.deleteKnowledge('billing', 'refunds:annual')).toBe(false);
    });

    it('answers ping while it is up', async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}
