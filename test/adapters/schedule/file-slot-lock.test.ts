import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileSlotLock } from '../../../src/adapters/schedule/file-slot-lock.ts';
import { reapFixtures, sleep, spawnFixture } from '../../schedule/child-process.ts';

describe('the file slot lock (processes sharing the embedded store on one machine)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'improvement-slot-lock-'));
  });
  afterEach(async () => {
    await reapFixtures();
    await rm(dir, { recursive: true, force: true });
  });

  it('gives a slot to exactly one of two processes that claim it at the same moment', async () => {
    const settings = {
      dir,
      job: 'daily-analysis',
      slot: Date.UTC(2026, 10, 24, 2),
      ttlMs: 5000,
      holdMs: 300,
      startAt: Date.now() + 2500,
      release: true,
    };
    const claimers = [spawnFixture('file-claimer.ts', settings), spawnFixture('file-claimer.ts', settings)];
    const results = await Promise.all(claimers.map((c) => c.waitFor((e) => 'won' in e, 15_000)));
    expect(results.map((r) => r.won).sort()).toEqual([false, true]);
    await Promise.all(claimers.map((c) => c.exited));
    // Released, but the slot stays claimed.
    expect(await createFileSlotLock(dir).claim('daily-analysis', new Date(settings.slot), 5000)).toBeNull();
  }, 30_000);

  it('gives a slot to one of 20 concurrent claims in one process', async () => {
    const lock = createFileSlotLock(dir);
    const slot = new Date('2026-11-24T02:00:00Z');
    const leases = await Promise.all(Array.from({ length: 20 }, () => lock.claim('race', slot, 5000)));
    expect(leases.filter(Boolean)).toHaveLength(1);
  });

  it('forgets claimed slots older than its memory, as Redis does, and still refuses the recent ones', async () => {
    const lock = createFileSlotLock(dir, { claimedSlotMemoryMs: 86_400_000 });
    const hour = (h: number) => new Date(Date.UTC(2026, 10, 20, h));
    for (const h of [0, 1, 2, 30, 50]) await (await lock.claim('hourly', hour(h), 5000))?.release();
    const markers = (await readdir(path.join(dir, 'hourly.slots'))).sort();
    // Claiming 50:00 forgot everything before 26:00 of the day before.
    expect(markers).toEqual([hour(30).toISOString(), hour(50).toISOString()]);
    expect(await lock.claim('hourly', hour(30), 5000)).toBeNull();
  });

  it('takes over the lease of a killed holder only after its TTL, with a higher fence', async () => {
    const ttlMs = 1000;
    const slot = Date.UTC(2026, 10, 24, 13);
    const holder = spawnFixture('file-claimer.ts', { dir, job: 'hourly', slot, ttlMs, holdMs: 20_000, startAt: 0, release: false });
    const won = await holder.waitFor((e) => 'won' in e, 15_000);
    expect(won.won).toBe(true);
    holder.child.kill('SIGKILL');
    await holder.exited;
    const killedAt = Date.now();

    const lock = createFileSlotLock(dir);
    const nextSlot = new Date(slot + 3600_000);
    expect(await lock.claim('hourly', nextSlot, ttlMs)).toBeNull(); // the lease is still live
    let taken = null;
    for (let i = 0; i < 60 && !taken; i++) {
      await sleep(50);
      // A refused claim of the next slot leaves it unclaimed, so trying again is fine.
      taken = await lock.claim('hourly', nextSlot, ttlMs);
    }
    const takenAfter = Date.now() - killedAt;
    expect(taken).not.toBeNull();
    expect(taken!.fence).toBe(Number(won.fence) + 1);
    expect(takenAfter).toBeLessThan(ttlMs + 300);
    // The killed run's slot is not run again.
    expect(await lock.claim('hourly', new Date(slot), ttlMs)).toBeNull();
    console.info(`file lock: stale lease of a killed holder taken over ${takenAfter} ms after kill -9 (TTL ${ttlMs} ms)`);
  }, 30_000);

  it('lets only the holder renew or release, and refuses to renew an expired lease', async () => {
    const lock = createFileSlotLock(dir);
    const lease = (await lock.claim('digest', new Date('2026-11-24T08:00:00Z'), 200))!;
    expect(await lease.renew(200)).toBe(true);
    await sleep(250);
    expect(await lease.renew(1000)).toBe(false);
    const next = (await lock.claim('digest', new Date('2026-11-25T08:00:00Z'), 5000))!;
    expect(next).not.toBeNull();
    await lease.release(); // the old holder's release must not end the new lease
    expect(await lock.claim('digest', new Date('2026-11-26T08:00:00Z'), 5000)).toBeNull();
    await next.release();
    expect(await lock.claim('digest', new Date('2026-11-26T08:00:00Z'), 5000)).not.toBeNull();
  });

  it('treats an unreadable lease file as being written until it is old, then takes it over', async () => {
    const lock = createFileSlotLock(dir);
    await writeFile(path.join(dir, 'torn.lease'), '');
    expect(await lock.claim('torn', new Date('2026-11-24T08:00:00Z'), 5000)).toBeNull();
    await sleep(1100);
    expect(await lock.claim('torn', new Date('2026-11-24T09:00:00Z'), 5000)).not.toBeNull();
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp') || f.endsWith('.takeover'))).toEqual([]);
  });
});
