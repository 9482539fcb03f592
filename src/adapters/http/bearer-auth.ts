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

/** How a token shows up in history and logs: enough to tell tokens apart, useless to an attacker. */
export function actorForToken(token: string): string {
  return `api:${sha256(token).toString('hex').slice(0, 8)}`;
}

/**
 * Compares digests, not tokens, so every comparison is 32 bytes whatever the presented length, and
 * checks every configured token without stopping at a match, so timing says nothing about which
 * one matched or how close a guess came.
 */
export function createTokenCheck(tokens: readonly string[]): (presented: string) => boolean {
  const digests = tokens.filter((t) => t.length > 0).map(sha256);
  return (presented) => {
    const candidate = sha256(presented);
    let matched = false;
    for (const digest of digests) {
      // Non-short-circuit OR: the loop does the same work whether or not a match came earlier.
      matched = timingSafeEqual(candidate, digest) || matched;
    }
    return matched;
  };
}

/** Refuses every request without a valid token; an empty token list refuses everything. */
export function bearerAuth(tokens: readonly string[]): RequestHandler {
  const isValid = createTokenCheck(tokens);
  return (req, res, next) => {
    const token = parseBearer(req.headers.authorization);
    if (token === undefined || !isValid(token)) {
      next(unauthorized());
      return;
    }
    setActor(res, actorForToken(token));
    next();
  };
}
