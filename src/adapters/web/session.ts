import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createTokenIdentifier, parseApiToken } from '../http/bearer-auth.ts';

/**
 * Dashboard sessions without server state, so every replica accepts every other's cookie: the
 * cookie carries {actor, token fingerprint, expiry} signed with a key derived from the configured
 * API tokens. Changing the tokens changes the key, which ends every session at once; removing one
 * token also fails the fingerprint check of the sessions it opened.
 */

export const SESSION_COOKIE = 'il_session';
/** A random value set with the sign-in form; the form carries its MAC, so a form from elsewhere fails. */
export const LOGIN_COOKIE = 'il_login';

export interface Session {
  actor: string;
  /** When the session ends, ms since the epoch. */
  expiresAt: number;
  /** The raw cookie value, from which the CSRF token is derived. */
  cookieValue: string;
}

export interface SessionKeeper {
  /** A cookie value for a valid token; undefined for anything else. */
  signIn(token: string, now: Date): { cookieValue: string; session: Session } | undefined;
  /** The session a cookie value stands for, or undefined when it is forged, stale or expired. */
  verify(cookieValue: string | undefined, now: Date): Session | undefined;
  csrfToken(session: Session): string;
  checkCsrf(session: Session, presented: unknown): boolean;
  /** A new sign-in form token and the cookie value it is bound to. */
  loginChallenge(existing?: string): { cookieValue: string; formToken: string; fresh: boolean };
  checkLoginChallenge(cookieValue: string | undefined, presented: unknown): boolean;
}

interface Payload {
  a: string;
  f: string;
  e: number;
}

function b64(buffer: Buffer): string {
  return buffer.toString('base64url');
}

function sameBytes(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export function createSessionKeeper(apiTokens: readonly string[], sessionHours: number): SessionKeeper {
  const tokens = apiTokens.filter((t) => t.length > 0);
  const identify = createTokenIdentifier(tokens);
  // Sorted so the same set of tokens gives the same key on every replica whatever their order.
  const key = createHash('sha256')
    .update('improvement-loop dashboard session v1\0')
    .update([...tokens].sort().join('\0'))
    .digest();
  const mac = (purpose: string, value: string) => b64(createHmac('sha256', key).update(`${purpose}\0${value}`).digest());
  const fingerprint = (token: string) => mac('token', token).slice(0, 22);
  // Of the secrets, which is what a person types at sign-in (a named entry's name is not part of it).
  const fingerprints = tokens.map((entry) => fingerprint(parseApiToken(entry).secret));
  const lifetimeMs = sessionHours * 3600_000;

  return {
    signIn(token, now) {
      const actor = tokens.length ? identify(token) : undefined;
      if (actor === undefined) return undefined;
      const payload: Payload = { a: actor, f: fingerprint(token), e: now.getTime() + lifetimeMs };
      const body = b64(Buffer.from(JSON.stringify(payload), 'utf8'));
      const cookieValue = `${body}.${mac('session', body)}`;
      return { cookieValue, session: { actor: payload.a, expiresAt: payload.e, cookieValue } };
    },

    verify(cookieValue, now) {
      if (!cookieValue || cookieValue.length > 512 || !tokens.length) return undefined;
      const [body, signature, extra] = cookieValue.split('.');
      if (!body || !signature || extra !== undefined) return undefined;
      if (!sameBytes(signature, mac('session', body))) return undefined;
      let payload: Partial<Payload>;
      try {
        payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Partial<Payload>;
      } catch {
        return undefined;
      }
      if (typeof payload.a !== 'string' || typeof payload.f !== 'string' || typeof payload.e !== 'number') return undefined;
      if (payload.e <= now.getTime()) return undefined;
      const fp = payload.f;
      if (!fingerprints.some((known) => sameBytes(known, fp))) return undefined;
      return { actor: payload.a, expiresAt: payload.e, cookieValue };
    },

    csrfToken(session) {
      return mac('csrf', session.cookieValue);
    },

    checkCsrf(session, presented) {
      return typeof presented === 'string' && sameBytes(presented, mac('csrf', session.cookieValue));
    },

    loginChallenge(existing) {
      // A page shown again after a refused attempt keeps the cookie the browser already has.
      if (existing && /^[A-Za-z0-9_-]{24}$/.test(existing))
        return { cookieValue: existing, formToken: mac('login', existing), fresh: false };
      const cookieValue = b64(randomBytes(18));
      return { cookieValue, formToken: mac('login', cookieValue), fresh: true };
    },

    checkLoginChallenge(cookieValue, presented) {
      return !!cookieValue && cookieValue.length <= 64 && typeof presented === 'string' && sameBytes(presented, mac('login', cookieValue));
    },
  };
}

/** The value of one cookie from a Cookie header; the dashboard needs no cookie library for one name. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
