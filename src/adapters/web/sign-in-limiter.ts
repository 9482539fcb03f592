/**
 * Failed dashboard sign-ins, counted per client address and overall in fixed windows, so a token
 * cannot be guessed at the speed of the network. Kept in memory: each replica limits on its own,
 * which multiplies the overall allowance by the replica count and nothing more.
 */
export interface SignInLimiter {
  /** Seconds to wait before `client` may try again, or 0 when it may try now. */
  retryAfterSeconds(client: string, now: number): number;
  recordFailure(client: string, now: number): void;
  recordSuccess(client: string): void;
}

export interface SignInLimits {
  perClient: number;
  overall: number;
  windowMs: number;
}

export const DEFAULT_SIGN_IN_LIMITS: SignInLimits = { perClient: 10, overall: 100, windowMs: 15 * 60_000 };

interface Window {
  start: number;
  failures: number;
}

export function createSignInLimiter(limits: SignInLimits = DEFAULT_SIGN_IN_LIMITS): SignInLimiter {
  const clients = new Map<string, Window>();
  let overall: Window = { start: 0, failures: 0 };

  const current = (w: Window | undefined, now: number): Window => (w && now - w.start < limits.windowMs ? w : { start: now, failures: 0 });
  const wait = (w: Window, now: number) => Math.max(1, Math.ceil((w.start + limits.windowMs - now) / 1000));

  return {
    retryAfterSeconds(client, now) {
      const mine = current(clients.get(client), now);
      overall = current(overall, now);
      if (mine.failures >= limits.perClient) return wait(mine, now);
      if (overall.failures >= limits.overall) return wait(overall, now);
      return 0;
    },
    recordFailure(client, now) {
      const mine = current(clients.get(client), now);
      mine.failures += 1;
      clients.set(client, mine);
      overall = current(overall, now);
      overall.failures += 1;
      // Forget windows that have ended, so addresses that tried once do not pile up.
      if (clients.size > 10_000) for (const [key, w] of clients) if (now - w.start >= limits.windowMs) clients.delete(key);
    },
    recordSuccess(client) {
      clients.delete(client);
    },
  };
}
