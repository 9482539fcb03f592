import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed, expiring links to a proposal's chart image, for Slack, which fetches images without any
 * session: `/chart-images/<id>.png?exp=<unix seconds>&sig=<HMAC-SHA256>`. The key is derived from
 * the API tokens (like the dashboard's session key), so every replica signs and checks alike and
 * rotating the tokens ends every link.
 */
export interface ChartImageLinks {
  /** Absolute URL under PUBLIC_URL, valid for the configured lifetime from `now`. */
  url(proposalId: string, now?: Date): string;
  /** true only for an untampered signature whose expiry is still ahead. */
  verify(proposalId: string, exp: unknown, sig: unknown, now?: Date): boolean;
}

export const CHART_IMAGE_ROUTE = '/chart-images';
/** Slack keeps messages; re-rendering a message (any change) signs its image again. */
const DEFAULT_LIFETIME_MS = 14 * 86_400_000;

export function chartImageKey(apiTokens: readonly string[]): Buffer {
  return createHash('sha256')
    .update('improvement-loop chart images v1\0')
    .update(
      [...apiTokens]
        .filter((t) => t.length > 0)
        .sort()
        .join('\0'),
    )
    .digest();
}

export function createChartImageLinks(options: { publicUrl: string; key: Buffer; lifetimeMs?: number }): ChartImageLinks {
  const lifetime = options.lifetimeMs ?? DEFAULT_LIFETIME_MS;
  const sign = (id: string, exp: string) => createHmac('sha256', options.key).update(`${id}\0${exp}`).digest('base64url');
  return {
    url(proposalId, now = new Date()) {
      const exp = String(Math.floor((now.getTime() + lifetime) / 1000));
      return `${options.publicUrl.replace(/\/+$/, '')}${CHART_IMAGE_ROUTE}/${encodeURIComponent(proposalId)}.png?exp=${exp}&sig=${sign(proposalId, exp)}`;
    },
    verify(proposalId, exp, sig, now = new Date()) {
      if (typeof exp !== 'string' || !/^\d{1,12}$/.test(exp) || typeof sig !== 'string' || sig.length > 64) return false;
      const expected = Buffer.from(sign(proposalId, exp));
      const presented = Buffer.from(sig);
      if (expected.length !== presented.length || !timingSafeEqual(expected, presented)) return false;
      return Number(exp) * 1000 > now.getTime();
    },
  };
}
