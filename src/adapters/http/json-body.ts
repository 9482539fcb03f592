import express, { type RequestHandler } from 'express';
import { ValidationError } from '../../domain/errors.ts';

/** Request bodies here are a flag, a reason and a version: 100 kB is generous and bounds the parse. */
export const BODY_LIMIT = '100kb';
/** Our payloads nest two levels deep; 32 leaves room and keeps recursive consumers far from the stack limit. */
export const MAX_JSON_DEPTH = 32;
/** Keys that can reach Object.prototype when a parsed body is merged into another object somewhere. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export class JsonTooDeep extends ValidationError {
  override name = 'JsonTooDeep';
  constructor() {
    super(`The body nests deeper than ${MAX_JSON_DEPTH} levels`);
  }
}

/**
 * Measures nesting on the raw bytes before JSON.parse runs: one linear pass, no recursion, so a
 * 10⁴-deep body costs no more than its length. Brackets inside strings do not count.
 */
export function exceedsDepth(raw: Buffer, maxDepth: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < raw.length; i++) {
    const byte = raw[i];
    if (inString) {
      if (byte === 0x5c)
        i++; // backslash: skip the escaped byte
      else if (byte === 0x22) inString = false;
    } else if (byte === 0x22) {
      inString = true;
    } else if (byte === 0x7b || byte === 0x5b) {
      if (++depth > maxDepth) return true;
    } else if (byte === 0x7d || byte === 0x5d) {
      depth--;
    }
  }
  return false;
}

/** Drops prototype-shaped keys wherever they appear, so no later merge can pollute a prototype. */
function dropForbiddenKeys(key: string, value: unknown): unknown {
  return FORBIDDEN_KEYS.has(key) ? undefined : value;
}

/**
 * JSON bodies for the API only (never global: the Slack receiver needs raw bytes to check signatures).
 * Strict: only objects and arrays at the top level.
 */
export function jsonBody(): RequestHandler {
  return express.json({
    limit: BODY_LIMIT,
    strict: true,
    reviver: dropForbiddenKeys,
    verify: (_req, _res, raw) => {
      if (exceedsDepth(raw, MAX_JSON_DEPTH)) throw new JsonTooDeep();
    },
  });
}
