import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import type { RepoLease, RepoLock } from './repo-lock.ts';
import { createExclusive } from '../../locks/holder-only.ts';

/**
 * The repository lease for processes on one machine (the embedded store): a file made with an
 * exclusive create holding { token, pid, host, expiresAt }. It is stale when its lease expired or,
 * on this host, when its holder's pid is gone (a `kill -9`ed executor frees the repository at once
 * instead of after a lease). Takeover of a stale file happens under a guard file made with an
 * exclusive create, so only one contender replaces it.
 */

interface LeaseFile {
  token: string;
  pid: number;
  host: string;
  expiresAt: number;
}

export interface FileRepoLockOptions {
  dir: string;
  ttlMs: number;
}

export function createFileRepoLock(options: FileRepoLockOptions): RepoLock {
  const fileFor = (key: string) => path.join(options.dir, `${encodeURIComponent(key)}.lease`);

  return {
    async tryAcquire(key) {
      await mkdir(options.dir, { recursive: true });
      const file = fileFor(key);
      const mine: LeaseFile = {
        token: randomBytes(12).toString('hex'),
        pid: process.pid,
        host: hostname(),
        expiresAt: Date.now() + options.ttlMs,
      };
      if (!(await createExclusiveLease(file, mine))) {
        const seen = await readLease(file);
        if (seen && !isStale(seen)) return null;
        if (!seen && !(await olderThan(file, 1000))) return null; // being written right now
        // Several contenders may find the same stale lease; the guard lets one of them replace it.
        const guard = `${file}.takeover`;
        if (!(await createExclusiveLease(guard, mine))) {
          if (await olderThan(guard, 10_000)) await unlink(guard).catch(() => undefined); // its maker died mid-takeover
          return null;
        }
        try {
          if ((await readLease(file))?.token !== seen?.token) return null; // renewed or replaced meanwhile
          await unlink(file).catch(() => undefined);
          if (!(await createExclusiveLease(file, mine))) return null;
        } finally {
          await unlink(guard).catch(() => undefined);
        }
      }
      return {
        token: mine.token,
        async renew() {
          const current = await readLease(file);
          if (current?.token !== mine.token) return false;
          const temp = `${file}.${mine.token}.tmp`;
          await writeFile(temp, JSON.stringify({ ...mine, expiresAt: Date.now() + options.ttlMs }));
          await rename(temp, file);
          return true;
        },
        async release() {
          if ((await readLease(file))?.token === mine.token) await unlink(file).catch(() => undefined);
        },
      } satisfies RepoLease;
    },
  };
}

function isStale(lease: LeaseFile): boolean {
  if (lease.expiresAt <= Date.now()) return true;
  return lease.host === hostname() && !pidAlive(lease.pid);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readLease(file: string): Promise<LeaseFile | null> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as LeaseFile;
    return typeof parsed.token === 'string' && typeof parsed.expiresAt === 'number' ? parsed : null;
  } catch {
    return null;
  }
}

async function olderThan(file: string, ms: number): Promise<boolean> {
  try {
    return Date.now() - (await stat(file)).mtimeMs > ms;
  } catch {
    return true;
  }
}

function createExclusiveLease(file: string, lease: LeaseFile): Promise<boolean> {
  return createExclusive(file, JSON.stringify(lease));
}
