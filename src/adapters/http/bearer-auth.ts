import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { unauthorized } from './errors.ts';
import { setActor } from './request-context.ts';

/**
 * `Authorization: Bearer <token>`: the scheme is case-insensitive (RFC 7235 §2.1), then exactly one
 * space and one token of visible ASCII. Anything else (extra spaces, a second word, control or
 * non-ASCII bytes) is not a credential at all.
 */
const BEARER = /^bearer ([\x21-\x7e]+)$/i;

export function parseBearer(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  return BEARER.exec(header)?.[1];
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** How a bare token shows up in history and logs: enough to tell tokens apart, useless to an attacker. */
export function actorForToken(token: string): string {
  return `api:${sha256(token).toString('hex').slice(0, 8)}`;
}

/** One API_TOKENS entry: `name:token` names who holds it, a bare token is named by its digest. */
export interface ApiToken {
  /** The actor its requests are recorded as: `api:<name>` or `api:<8 hex of sha256>`. */
  actor: string;
  secret: string;
}

// A name is a short word (letters first); anything else before a colon is part of a bare token.
const NAMED_TOKEN = /^([A-Za-z][A-Za-z0-9_.-]{0,39}):(.+)$/;

export function parseApiToken(entry: string): ApiToken {
  const named = NAMED_TOKEN.exec(entry);
  if (named) return { actor: `api:${named[1]}`, secret: named[2]! };
  return { actor: actorForToken(entry), secret: entry };
}

/**
 * Who presented a token: its actor, or undefined. Compares digests, not tokens, so every comparison
 * is 32 bytes whatever the presented length, and checks every configured token without stopping at
 * a match, so timing says nothing about which one matched or how close a guess came.
 */
export function createTokenIdentifier(entries: readonly string[]): (presented: string) => string | undefined {
  const tokens = entries.filter((t) => t.length > 0).map(parseApiToken);
  const digests = tokens.map((t) => sha256(t.secret));
  return (presented) => {
    const candidate = sha256(presented);
    let matched: string | undefined;
    digests.forEach((digest, i) => {
      // Every digest is compared; the first match is kept, without a branch that skips the others.
      const same = timingSafeEqual(candidate, digest);
      matched = matched ?? (same ? tokens[i]!.actor : undefined);
    });
    return matched;
  };
}

export function createTokenCheck(entries: readonly string[]): (presented: string) => boolean {
  const identify = createTokenIdentifier(entries);
  return (presented) => identify(presented) !== undefined;
}

/** Refuses every request without a valid token; an empty token list refuses everything. */
export function bearerAuth(tokens: readonly string[]): RequestHandler {
  const identify = createTokenIdentifier(tokens);
  return (req, res, next) => {
    const token = parseBearer(req.headers.authorization);
    const actor = token === undefined ? undefined : identify(token);
    if (actor === undefined) {
      next(unauthorized());
      return;
    }
    setActor(res, actor);
    next();
  };
}
