import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'github');

/** A fixture payload with the improvement branch put in, as the raw bytes GitHub would send. */
export function githubPayload(file: string, head: string): string {
  return readFileSync(path.join(FIXTURES, file), 'utf8').replaceAll('__HEAD__', head);
}

/** POSTs a delivery the way GitHub does: JSON body, event and delivery headers, X-Hub-Signature-256. */
export function deliver(
  url: string,
  event: string,
  body: string,
  options: { secret: string; delivery?: string; signature?: string },
): Promise<Response> {
  const signature = options.signature ?? `sha256=${createHmac('sha256', options.secret).update(body).digest('hex')}`;
  return fetch(`${url}/github/webhooks`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/044aadd',
      'x-github-event': event,
      'x-github-delivery': options.delivery ?? randomUUID(),
      'x-github-hook-id': '292430182',
      'x-hub-signature-256': signature,
    },
    body,
  });
}
