import { createHash } from 'node:crypto';

/** Characters of a secret a proposal may show: enough to tell two keys apart, far too few to use one. */
const SHOWN = 4;

/** "ghp_****": what every proposal, log line, evidence item and Slack message shows of a secret. */
export function redactSecret(secret: string): string {
  return `${secret.slice(0, Math.min(SHOWN, Math.floor(secret.length / 3)))}****`;
}

/** A stable key for one secret that cannot be turned back into it: the same leak keeps one proposal. */
export function secretKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex').slice(0, 16);
}
