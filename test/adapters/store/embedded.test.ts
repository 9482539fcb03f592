import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmbeddedStore } from '../../../src/adapters/store/embedded/embedded-store.ts';
import { IllegalTransition, StoreUnavailable, ValidationError } from '../../../src/domain/errors.ts';
import type { ProposalStore } from '../../../src/ports/store.ts';
import { makeDraft } from '../../helpers/drafts.ts';
import { describeStoreContract } from './contract.ts';
import { makeStoreDir } from '../../helpers/embedded.ts';

describeStoreContract('embedded', async () => {
  const temp = await makeStoreDir();
  const store = createEmbeddedStore({ file: temp.file });
  return {
    store,
    openAnother: async () => createEmbeddedStore({ file: temp.file }),
    cleanup: async () => {
      await store.close();
      await temp.remove();
    },
  };
});

describe('embedded store', () => {
  let temp: Awaited<ReturnType<typeof makeStoreDir>>;
  const opened: Array<{ close(): unknown }> = [];
  const open = (options: Partial<Parameters<typeof createEmbeddedStore>[0]> = {}): ProposalStore => {
    const store = createEmbeddedStore({ file: temp.file, ...options });
    opened.push(store);
    return store;
  };
  const raw = (): Database.Database => {
    const db = new Database(temp.file);
    opened.push(db);
    return db;
  };

  beforeEach(async () => {
    temp = await makeStoreDir();
  });
  afterEach(async () => {
    for (const handle of opened.splice(0).reverse()) await handle.close();
    await temp.remove();
  });

  it('keeps a terminal proposal for retentionDays after it became terminal, then sweeps it with its history', async () => {
    let clock = new Date('2026-03-01T00:00:00.000Z');
    const store = open({ retentionDays: 2, now: () => clock });
    const done = await store.create(makeDraft(), { actor: 'c' });
    await store.transition({ id: done.id, to: 'approved', actor: 'u', idempotencyKey: 'r1' });
    await store.transition({ id: done.id, to: 'executing', actor: 'x', idempotencyKey: 'r2' });
    clock = new Date('2026-03-05T00:00:00.000Z');
    await store.transition({ id: done.id, to: 'implemented', actor: 'x', idempotencyKey: 'r3' });
    const twoDays = 2 * 24 * 3600 * 1000;

    expect(await store.sweepExpired(new Date(clock.getTime() + twoDays - 1))).toBe(0);
    expect(await store.sweepExpired(new Date(clock.getTime() + twoDays))).toBe(1);

    expect(await store.get(done.id)).toBeNull();
    expect(raw().prepare('SELECT count(*) AS n FROM history').get()).toEqual({ n: 0 });
    expect(await store.counters()).toMatchObject({ proposed: 1, 'entered:implemented': 1, 'current:status:implemented': 0 });
  });

  it('restarts the retention clock when an implemented change is rolled back', async () => {
    let clock = new Date('2026-03-01T00:00:00.000Z');
    const store = open({ retentionDays: 1, now: () => clock });
    const p = await store.create(makeDraft(), { actor: 'c' });
    for (const to of ['approved', 'executing', 'implemented'] as const) {
      await store.transition({ id: p.id, to, actor: 'u', idempotencyKey: `rb-${to}` });
    }
    clock = new Date('2026-03-10T00:00:00.000Z');
    await store.transition({ id: p.id, to: 'rolled_back', actor: 'u', idempotencyKey: 'rb-rolled_back' });
    expect(await store.sweepExpired(new Date('2026-03-10T12:00:00.000Z'))).toBe(0);
    expect(await store.sweepExpired(new Date('2026-03-11T00:00:00.000Z'))).toBe(1);
  });

  it('answers "duplicate" to a replayed key even after the proposal moved on, and counts the move once', async () => {
    const store = open();
    const p = await store.create(makeDraft(), { actor: 'c' });
    const approve = {
      id: p.id,
      to: 'approved' as const,
      expectedStatus: 'pending' as const,
      actor: 'alice',
      idempotencyKey: 'slack-approve-1',
    };
    await store.transition(approve);
    await store.transition({ id: p.id, to: 'executing', actor: 'executor', idempotencyKey: 'exec-1' });
    const replay = await store.transition(approve);
    expect(replay.outcome).toBe('duplicate');
    expect(replay.proposal).toMatchObject({ status: 'executing', version: 3 });
    expect(await store.counters()).toMatchObject({ 'decided:approved': 1, 'entered:approved': 1 });
  });

  it('does not spend a key on a refused move, so the corrected request still applies', async () => {
    const store = open();
    const p = await store.create(makeDraft(), { actor: 'c' });
    const refused = await store.transition({ id: p.id, to: 'executing', actor: 'u', idempotencyKey: 'k-1' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(IllegalTransition);
    const applied = await store.transition({ id: p.id, to: 'approved', actor: 'u', idempotencyKey: 'k-1' });
    expect(applied.outcome).toBe('applied');
  });

  it('answers StoreUnavailable naming the file when another process holds the write lock past the busy timeout', async () => {
    const store = open({ busyTimeoutMs: 100 });
    const p = await store.create(makeDraft(), { actor: 'c' });
    const holder = raw();
    holder.exec('BEGIN IMMEDIATE');
    const started = Date.now();
    const error = await store.transition({ id: p.id, to: 'approved', actor: 'u', idempotencyKey: 'busy' }).catch((e: unknown) => e);
    holder.exec('ROLLBACK');
    expect(error).toBeInstanceOf(StoreUnavailable);
    expect((error as Error).message).toContain(temp.file);
    expect((error as Error).message).toMatch(/busy/);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
    expect((await store.get(p.id))?.version).toBe(1);
  });

  it('answers StoreUnavailable, not a TypeError, once it is closed', async () => {
    const store = open();
    await store.close();
    await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailable);
    await expect(store.get('any-1')).rejects.toThrow(/closed/);
    await expect(store.close()).resolves.toBeUndefined();
  });

  it('refuses a list page outside 1..500 as bad input', async () => {
    const store = open();
    await expect(store.list({ limit: 0, offset: 0 })).rejects.toBeInstanceOf(ValidationError);
    await expect(store.list({ limit: 501, offset: 0 })).rejects.toBeInstanceOf(ValidationError);
    await expect(store.list({ limit: 10, offset: -1 })).rejects.toBeInstanceOf(ValidationError);
  });

  it('refuses to rewrite history, or to delete the history of an open proposal', async () => {
    const store = open();
    const p = await store.create(makeDraft(), { actor: 'c' });
    const db = raw();
    expect(() => db.prepare("UPDATE history SET entry = '{}'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM history WHERE proposal_id = ?').run(p.id)).toThrow(/open proposal/);
    expect((await store.get(p.id))?.history).toHaveLength(1);
  });

  it('pages every list order from an index of the list rows, with or without status and type filters, never sorting', () => {
    open();
    const db = raw();
    const orders = [
      'created_at DESC, seq DESC',
      'created_at ASC, seq ASC',
      'status_rank ASC, created_at DESC, seq DESC',
      'status_rank DESC, created_at DESC, seq DESC',
    ];
    const filters = ['', 'WHERE status = ?', 'WHERE type = ?', 'WHERE status = ? AND type = ?'];
    for (const where of filters) {
      // With a status filter the store lists by created time only (every row has the same rank).
      for (const order of where.includes('status') ? orders.slice(0, 2) : orders) {
        // The store's page query: the offset skipped in a covering index, then the page's rows by seq.
        const sql = `EXPLAIN QUERY PLAN SELECT row FROM proposal_rows WHERE seq IN
          (SELECT seq FROM proposal_rows ${where} ORDER BY ${order} LIMIT 50 OFFSET 100) ORDER BY ${order}`;
        const plan = db.prepare<unknown[], { detail: string }>(sql).all(...(where.match(/\?/g) ?? []).map(() => 'x'));
        const detail = plan.map((row) => row.detail).join('; ');
        expect(detail, `${where} ORDER BY ${order}`).toMatch(/USING COVERING INDEX proposal_rows_by_/);
        expect(detail, `${where} ORDER BY ${order}`).toMatch(/USING INTEGER PRIMARY KEY/);
      }
    }
  });

  it('builds list rows and counts for proposals filed before they existed (schema 2), then keeps them', async () => {
    const store = open();
    const a = await store.create(makeDraft({ type: 'bug_fix', patch: 'diff --git a/x b/x\n' }), { actor: 'c' });
    const b = await store.create(makeDraft({ type: 'feature' }), { actor: 'c' });
    await store.transition({ id: b.id, to: 'rejected', actor: 'u', reason: 'no', idempotencyKey: `m-${b.id}` });
    await store.close();
    // What a file of an older release holds: migrations 1 and 2. Migrations 3 and 4 add objects and
    // change none of theirs, so dropping them leaves exactly that file.
    const db = raw();
    db.exec(`DROP TRIGGER proposal_rows_on_insert; DROP TRIGGER proposal_rows_on_update;
      DROP TRIGGER proposal_counts_on_status; DROP TRIGGER proposal_rows_on_delete;
      DROP TABLE proposal_rows; DROP TABLE proposal_counts; DROP TABLE deployments; PRAGMA user_version = 2;`);
    db.close();

    const upgraded = open();
    const listed = await upgraded.list({ sort: 'status', limit: 10, offset: 0 });
    expect(listed.total).toBe(2);
    expect(listed.items.map((p) => [p.id, p.status, p.hasPatch])).toEqual([
      [a.id, 'pending', true],
      [b.id, 'rejected', false],
    ]);
    expect(listed.items[0]).not.toHaveProperty('patch');
    expect((await upgraded.list({ type: 'bug_fix', status: 'pending', limit: 10, offset: 0 })).total).toBe(1);
    const c = await upgraded.create(makeDraft({ type: 'bug_fix' }), { actor: 'c' });
    await upgraded.transition({ id: a.id, to: 'approved', actor: 'u', idempotencyKey: `m-${a.id}` });
    expect((await upgraded.list({ type: 'bug_fix', limit: 10, offset: 0 })).total).toBe(2);
    expect((await upgraded.list({ status: 'pending', limit: 10, offset: 0 })).items.map((p) => p.id)).toEqual([c.id]);
    expect((await upgraded.list({ status: 'approved', limit: 10, offset: 0 })).items.map((p) => p.id)).toEqual([a.id]);
    // Migration 4 ran too: deploy markers have their table.
    const marker = { id: 'd1', deployedAt: '2026-01-15T00:00:00.000Z', source: 'api' as const };
    expect((await upgraded.recordDeployment(marker)).result).toBe('recorded');
  });
});
