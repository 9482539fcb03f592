import { createVerify } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BigQueryErrorBody } from './bigquery-errors.ts';

/** The fake BigQuery's HTTP plumbing: JSON in and out, and the bearer-JWT check. */

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' });
  res.end(JSON.stringify(body));
}

export function sendError(res: ServerResponse, error: BigQueryErrorBody): void {
  send(res, error.code, { error });
}

/** True when the request carries a JWT whose RS256 signature verifies with publicKey. */
export function validBearer(authorization: string | undefined, publicKey: string): boolean {
  const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
  const [header, payload, signature] = token?.split('.') ?? [];
  if (!header || !payload || !signature) return false;
  return createVerify('RSA-SHA256').update(`${header}.${payload}`).verify(publicKey, Buffer.from(signature, 'base64url'));
}
