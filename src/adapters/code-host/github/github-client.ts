import { createAppAuth } from '@octokit/auth-app';
import { Octokit } from '@octokit/rest';
import { CodeHostError } from '../../../domain/errors.ts';
import type { Logger } from '../../../logging.ts';
import { rateLimitWaitMs } from './rate-limit.ts';

/** A token (GITHUB_TOKEN), or a GitHub App installation whose tokens are made and renewed by @octokit/auth-app. */
export type GitHubAuth = { token: string } | { appId: string; privateKey: string; installationId: string };

export interface GitHubClientSettings {
  auth: GitHubAuth;
  /** GITHUB_API_URL: https://api.github.com, a GitHub Enterprise `/api/v3` URL, or a test's fake. */
  apiUrl: string;
  /** Each request, answer included. */
  timeoutMs: number;
  /** A rate-limited call is sent again at most this often... */
  maxRateLimitRetries: number;
  /** ...and never after a wait longer than this: a reset an hour away fails now, with a clear error. */
  maxRateLimitWaitMs: number;
  logger: Logger;
  /** Tests shorten the waits; production sleeps. */
  sleep?: (ms: number) => Promise<void>;
}

interface WireError {
  status?: number;
  message?: string;
  response?: { headers?: Record<string, string | number | undefined> };
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The official client, with what it lacks out of the box: a timeout on every request and rate-limit
 * answers (403/429 with GitHub's headers) retried after the wait GitHub asks for, a bounded number of
 * times. Every failure reaches callers as a CodeHostError naming the call.
 */
export function createGitHubClient(settings: GitHubClientSettings): Octokit {
  const sleep = settings.sleep ?? sleepFor;
  const auth = settings.auth;
  const octokit = new Octokit({
    ...('token' in auth
      ? { auth: auth.token }
      : {
          authStrategy: createAppAuth,
          auth: { appId: auth.appId, privateKey: auth.privateKey, installationId: Number(auth.installationId) },
        }),
    baseUrl: settings.apiUrl.replace(/\/+$/, ''),
    userAgent: 'improvement-loop',
    // Octokit logs deprecations and warnings through console by default; ours go to pino.
    log: {
      debug: () => undefined,
      info: () => undefined,
      warn: (message: string) => settings.logger.warn({ codeHost: 'github' }, message),
      error: (message: string) => settings.logger.error({ codeHost: 'github' }, message),
    },
  });
  octokit.hook.wrap('request', async (request, options) => {
    const call = `${options.method} ${options.url}`;
    for (let attempt = 0; ; attempt++) {
      const signal = AbortSignal.timeout(settings.timeoutMs);
      try {
        return await request({ ...options, request: { ...options.request, signal } });
      } catch (error) {
        const wire = error as WireError;
        if (signal.aborted) throw new CodeHostError(`GitHub did not answer ${call} within ${settings.timeoutMs} ms`);
        const status = wire.status;
        const waitMs = status === undefined ? null : rateLimitWaitMs(status, wire.response?.headers ?? {}, Date.now());
        if (waitMs === null) {
          const what = status && status < 500 ? `answered ${status}` : 'could not be reached';
          throw new CodeHostError(`GitHub ${what} on ${call}: ${wire.message ?? String(error)}`, status);
        }
        if (attempt >= settings.maxRateLimitRetries || waitMs > settings.maxRateLimitWaitMs) {
          throw new CodeHostError(
            `GitHub rate-limited ${call} (${status}); ${attempt} retries made, the next would wait ${Math.ceil(waitMs / 1000)} s`,
            status,
          );
        }
        settings.logger.warn({ codeHost: 'github', call, status, waitMs, attempt: attempt + 1 }, 'GitHub rate limit: waiting as asked');
        await sleep(waitMs);
      }
    }
  });
  return octokit;
}
