/**
 * Tokens a cycle may spend on Claude; past it, the template writer takes over for the rest of the
 * cycle. It is checked before each request, so requests already in flight still finish: a cycle can
 * overshoot by at most one request per concurrency slot.
 */
export interface TokenBudget {
  readonly limit: number | null;
  readonly used: number;
  /** True once used ≥ limit; always false without a limit. */
  readonly exhausted: boolean;
  spend(tokens: number): void;
  reset(): void;
}

export function createTokenBudget(limit: number | undefined): TokenBudget {
  let used = 0;
  const max = limit === undefined || !Number.isFinite(limit) ? null : Math.max(0, limit);
  return {
    limit: max,
    get used() {
      return used;
    },
    get exhausted() {
      return max !== null && used >= max;
    },
    spend(tokens: number) {
      used += Math.max(0, tokens);
    },
    reset() {
      used = 0;
    },
  };
}
