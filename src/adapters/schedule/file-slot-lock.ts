import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createExclusive } from '../locks/holder-only.ts';
import { CLAIMED_SLOT_MEMORY_MS, slotId, type Lease, type SlotLock } from '../../schedule/slot-lock.ts';

/**
 * Slot claims for processes that share the embedded store on one machine, with files in `dir`:
 *   <job>.lease          the job's lease: { token, expiresAt }, made with an exclusive create ('wx')
 *   <job>.slots/<slot>   one per claimed slot, also exclusive: a slot is claimed once, ever
 *   <job>.fence          the fence counter, only written by the lease holder
 * Unlike the Redis lock, the lease is per job, not per slot: a run of a job on this machine waits
 * for the previous one, which is what the fence counter's read-then-write needs.
 * A lease past its expiry is stale (its holder died or froze) and the next claim takes it over.
 */

interface LeaseFile {
  token: string;
  expiresAt: number;
}

/** A takeover guard older than this was left by a process that died mid-takeover. */
const ABANDONED_GUARD_MS = 10_000;
/** A lease file that does not parse yet is being written, unless it is older than this. */
const TORN_WRITE_GRACE_MS = 1_000;

export function createFileSlotLock(dir: string, options: { claimedSlotMemoryMs?: number } = {}): SlotLock {
  const memoryMs = options.claimedSlotMemoryMs ?? CLAIMED_SLOT_MEMORY_MS;
  const files = (job: string) => {
    const base = path.join(dir, encodeURIComponent(job));
    return { lease: `${base}.lease`, slots: `${base}.slots`, fence: `${base}.fence` };
  };

  return {
    async claim(job, slot, ttlMs) {
      const { lease: leasePath, slots, fence: fencePath } = files(job);
      await mkdir(slots, { recursive: true });
      const marker = path.join(slots, slotId(slot));
      if (await exists(marker)) return null;
      const token = randomBytes(16).toString('hex');
      if (!(await takeLease(leasePath, { token, expiresAt: Date.now() + ttlMs }))) return null;
      if (!(await createExclusive(marker, token))) {
        await releaseIfHolder(leasePath, token);
        return null;
      }
      const fence = Number((await readText(fencePath)) ?? '0') + 1;
      await replace(fencePath, String(fence));
      // As Redis forgets a claimed slot after a while, so do the files: an hourly job would leave 8,760 a year.
      await forgetSlotsBefore(slots, slot.getTime() - memoryMs);
      const lease: Lease = {
        job,
        slot,
        token,
        fence,
        async renew(nextTtlMs) {
          const current = await readLease(leasePath);
          // An expired lease may be taken over at any moment: renewing it could overwrite the new holder's.
          if (current?.token !== token || current.expiresAt <= Date.now()) return false;
          await replace(leasePath, JSON.stringify({ token, expiresAt: Date.now() + nextTtlMs } satisfies LeaseFile));
          return true;
        },
        release: () => releaseIfHolder(leasePath, token),
      };
      return lease;
    },
  };
}

async function takeLease(leasePath: string, mine: LeaseFile): Promise<boolean> {
  if (await createExclusive(leasePath, JSON.stringify(mine))) return true;
  const seen = await readLease(leasePath);
  if (!(await isStale(leasePath, seen))) return false;
  // Two processes may find the same stale lease; the guard lets one of them replace it.
  const guard = `${leasePath}.takeover`;
  if (!(await createExclusive(guard, mine.token))) {
    const age = await ageMs(guard);
    if (age !== null && age > ABANDONED_GUARD_MS) await unlink(guard).catch(() => undefined);
    return false;
  }
  try {
    const again = await readLease(leasePath);
    if (again?.token !== seen?.token) return false; // someone renewed or replaced it meanwhile
    await unlink(leasePath).catch(() => undefined);
    return await createExclusive(leasePath, JSON.stringify(mine));
  } finally {
    await unlink(guard).catch(() => undefined);
  }
}

async function isStale(leasePath: string, lease: LeaseFile | null): Promise<boolean> {
  if (lease) return lease.expiresAt <= Date.now();
  const age = await ageMs(leasePath);
  return age !== null && age > TORN_WRITE_GRACE_MS;
}

async function releaseIfHolder(leasePath: string, token: string): Promise<void> {
  if ((await readLease(leasePath))?.token === token) await unlink(leasePath).catch(() => undefined);
}

/** Exclusive create: false when the file exists. The content is written after the create. */
/** Write-then-rename, so a reader never sees half a file. */
async function replace(file: string, content: string): Promise<void> {
  const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, content);
  await rename(temp, file);
}

async function readLease(file: string): Promise<LeaseFile | null> {
  const text = await readText(file);
  if (!text) return null;
  try {
    const parsed = JSON.parse(text) as LeaseFile;
    return typeof parsed.token === 'string' && typeof parsed.expiresAt === 'number' ? parsed : null;
  } catch {
    return null;
  }
}

async function readText(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

async function exists(file: string): Promise<boolean> {
  return (await ageMs(file)) !== null;
}

async function ageMs(file: string): Promise<number | null> {
  try {
    return Date.now() - (await stat(file)).mtimeMs;
  } catch {
    return null;
  }
}

/** Removes slot markers of slots older than `before` (epoch ms); marker names are the slots' ISO times. */
async function forgetSlotsBefore(slots: string, before: number): Promise<void> {
  for (const name of await readdir(slots)) {
    const at = Date.parse(name);
    if (Number.isFinite(at) && at < before) await unlink(path.join(slots, name)).catch(() => undefined);
  }
}
