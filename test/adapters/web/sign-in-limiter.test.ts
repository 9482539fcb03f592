import { describe, expect, it } from 'vitest';
import { createSignInLimiter } from '../../../src/adapters/web/sign-in-limiter.ts';

describe('the sign-in limiter', () => {
  const limits = { perClient: 3, overall: 5, windowMs: 60_000 };

  it('stops one client after its failures and lets it try again when the window ends', () => {
    const limiter = createSignInLimiter(limits);
    for (let i = 0; i < 3; i++) limiter.recordFailure('a', 1000);
    expect(limiter.retryAfterSeconds('a', 1000)).toBe(60);
    expect(limiter.retryAfterSeconds('b', 1000)).toBe(0);
    expect(limiter.retryAfterSeconds('a', 61_000)).toBe(0);
  });

  it('stops everyone once the overall failures are reached, so many addresses cannot share the guessing', () => {
    const limiter = createSignInLimiter(limits);
    for (const client of ['a', 'b', 'c', 'd', 'e']) limiter.recordFailure(client, 0);
    expect(limiter.retryAfterSeconds('fresh', 30_000)).toBe(30);
  });

  it('forgets a client that signs in', () => {
    const limiter = createSignInLimiter(limits);
    for (let i = 0; i < 3; i++) limiter.recordFailure('a', 0);
    limiter.recordSuccess('a');
    expect(limiter.retryAfterSeconds('a', 0)).toBe(0);
  });
});
