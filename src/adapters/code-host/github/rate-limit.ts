/**
 * How long GitHub asks us to wait before a rate-limited call may be sent again, read from the answer's
 * headers (docs.github.com, "Rate limits for the REST API"): a secondary limit sends `retry-after`
 * seconds; the primary limit sends `x-ratelimit-remaining: 0` and `x-ratelimit-reset` (epoch seconds).
 * A 403 without either is a permission refusal, not a rate limit: null.
 */
export function rateLimitWaitMs(status: number, headers: Record<string, string | number | undefined>, now: number): number | null {
  if (status !== 403 && status !== 429) return null;
  const retryAfter = Number(headers['retry-after']);
  if (headers['retry-after'] !== undefined && Number.isFinite(retryAfter) && retryAfter >= 0) return retryAfter * 1000;
  if (String(headers['x-ratelimit-remaining']) === '0') {
    const reset = Number(headers['x-ratelimit-reset']);
    if (Number.isFinite(reset)) return Math.max(0, reset * 1000 - now);
  }
  // GitHub: a 429 without headers means "wait at least one minute".
  return status === 429 ? 60_000 : null;
}
