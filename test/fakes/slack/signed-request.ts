/**
 * Builds and sends requests the way Slack does: a form body (`payload=<json>` for interactions, the
 * command's fields for slash commands), `Content-Type: application/x-www-form-urlencoded` with no
 * charset, and the v0 signature over "v0:" + timestamp + ":" + raw body.
 */
import { createHmac } from 'node:crypto';

export function sign(secret: string, timestamp: number | string, rawBody: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

export function interactionBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export function commandBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

export interface SlackRequest {
  body: string;
  secret: string;
  /** Seconds since the epoch; now unless given. */
  timestamp?: number;
  contentType?: string;
  headers?: Record<string, string>;
  /** Sign this instead of `body` (a forgery that signs one body and sends another). */
  signedBody?: string;
  signature?: string;
}

export async function sendSlack(url: string, request: SlackRequest): Promise<{ status: number; text: string; ms: number }> {
  const timestamp = request.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': request.contentType ?? 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': request.signature ?? sign(request.secret, timestamp, request.signedBody ?? request.body),
    ...request.headers,
  };
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers, body: request.body });
  const text = await response.text();
  return { status: response.status, text, ms: performance.now() - started };
}
