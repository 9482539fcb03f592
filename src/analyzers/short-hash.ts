import { createHash } from 'node:crypto';

/**
 * First 12 hex digits of the SHA-1 of `text`: 48 bits, so a collision among even a million
 * templates or themes is about one in 500 000; short enough to sit in a fingerprint or a Slack button.
 */
export function shortSha1(text: string): string {
  return createHash('sha1').update(text).digest('hex').slice(0, 12);
}
