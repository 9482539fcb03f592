/**
 * One execution at a time per repository, across processes and replicas. A lease, not a plain
 * mutex: it expires unless its holder renews it, so a holder killed with -9 frees the repository
 * after at most one lease, and recovery can tell a dead holder's execution from a live one's.
 * Correctness of the final write still comes from the store's version check (a frozen holder whose
 * lease ran out is refused there), not from the lock alone.
 */

export interface RepoLease {
  readonly token: string;
  /** Extends the lease; false when it was lost (expired and taken, or released). */
  renew(): Promise<boolean>;
  release(): Promise<void>;
}

export interface RepoLock {
  /** Takes the lease now, or returns null when someone else holds it. */
  tryAcquire(key: string): Promise<RepoLease | null>;
}

export interface AcquireOptions {
  /** Give up after this long (the caller reports the repository as busy). */
  waitMs: number;
  pollMs?: number;
}

/** Waits for the lease, polling: executions are minutes long, a poll every few hundred ms is plenty. */
export async function acquireRepoLease(lock: RepoLock, key: string, options: AcquireOptions): Promise<RepoLease | null> {
  const deadline = Date.now() + options.waitMs;
  const poll = options.pollMs ?? 250;
  for (;;) {
    const lease = await lock.tryAcquire(key);
    if (lease || Date.now() >= deadline) return lease;
    await new Promise((resolve) => setTimeout(resolve, Math.min(poll, Math.max(1, deadline - Date.now()))));
  }
}

/**
 * Renews the lease every third of its TTL while `work` runs; `lost()` tells the work that the
 * lease is gone so it stops before a commit or a push.
 */
export function keepRenewed(lease: RepoLease, ttlMs: number, onLost: () => void): { stop(): void; lost(): boolean } {
  let lost = false;
  const timer = setInterval(
    () => {
      lease.renew().then(
        (ok) => {
          if (!ok && !lost) {
            lost = true;
            onLost();
          }
        },
        () => undefined, // a failed renewal is retried at the next tick; expiry decides
      );
    },
    Math.max(50, Math.floor(ttlMs / 3)),
  );
  timer.unref();
  return { stop: () => clearInterval(timer), lost: () => lost };
}
