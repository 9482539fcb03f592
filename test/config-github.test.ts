import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.ts';

const errorOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (error) {
    return error as ConfigError;
  }
  throw new Error('loadConfig accepted the settings');
};

describe('the GitHub settings', () => {
  it('leave pull requests off when none is set', () => {
    const config = loadConfig({});
    expect(config.github).toBeUndefined();
    expect(config.publicUrl).toBeUndefined();
  });

  it('place token, repository, API URL, webhook secret and timeout together, and trim PUBLIC_URL', () => {
    const config = loadConfig({
      GITHUB_TOKEN: 'ghp_x',
      GITHUB_REPOSITORY: 'acme/shop',
      GIT_REMOTE: 'origin',
      GITHUB_API_URL: 'https://github.example/api/v3',
      GITHUB_WEBHOOK_SECRET: 's',
      PUBLIC_URL: 'https://loop.example/',
    });
    expect(config.github).toEqual({
      auth: { token: 'ghp_x' },
      repository: 'acme/shop',
      apiUrl: 'https://github.example/api/v3',
      webhookSecret: 's',
      timeoutMs: 10_000,
      pollCron: '*/10 * * * *',
      appName: 'improvement-loop',
    });
    expect(config.publicUrl).toBe('https://loop.example');
  });

  it('read the name PR comments address the app by, and refuse one with an @ or a space', () => {
    const base = { GITHUB_TOKEN: 'ghp_x', GITHUB_REPOSITORY: 'acme/shop', GIT_REMOTE: 'origin' };
    expect(loadConfig({ ...base, CODE_HOST_APP_NAME: 'shop-bot' }).github?.appName).toBe('shop-bot');
    expect(errorOf({ ...base, CODE_HOST_APP_NAME: '@shop bot' }).problems.join('\n')).toMatch(
      /CODE_HOST_APP_NAME: must be a user or app name/,
    );
  });

  it('refuse to start with a token but no repository or no remote, naming the variable and hiding the token', () => {
    const error = errorOf({ GITHUB_TOKEN: 'ghp_secret_value' });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.problems).toEqual([
      'GITHUB_REPOSITORY: required with GITHUB_TOKEN (owner/name)',
      'GIT_REMOTE: required with GITHUB_TOKEN (a pull request needs its branch pushed to the repository first)',
    ]);
    expect(error.message).not.toContain('ghp_secret_value');
  });

  it('refuse a repository that is not owner/name and a PUBLIC_URL that is not http(s)', () => {
    const error = errorOf({
      GITHUB_TOKEN: 't',
      GIT_REMOTE: 'origin',
      GITHUB_REPOSITORY: 'https://github.com/acme/shop',
      PUBLIC_URL: 'loop',
    });
    expect(error.problems).toEqual([
      'GITHUB_REPOSITORY: must be owner/name (got "https://github.com/acme/shop")',
      'PUBLIC_URL: an http(s) URL such as https://improve.example.com (got "loop")',
    ]);
  });

  it('take a GitHub App instead of a token, reading \\n escapes in the key, and refuse half an App or both', () => {
    const app = {
      GITHUB_APP_ID: '123',
      GITHUB_APP_PRIVATE_KEY: '-----BEGIN RSA PRIVATE KEY-----\\nMIIE\\n-----END RSA PRIVATE KEY-----',
      GITHUB_APP_INSTALLATION_ID: '9',
    };
    const config = loadConfig({ ...app, GITHUB_REPOSITORY: 'acme/shop', GIT_REMOTE: 'origin' });
    expect(config.github?.auth).toEqual({
      appId: '123',
      privateKey: '-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----',
      installationId: '9',
    });
    expect(errorOf({ GITHUB_APP_ID: '123', GITHUB_REPOSITORY: 'acme/shop', GIT_REMOTE: 'origin' }).problems).toEqual([
      'GITHUB_APP_PRIVATE_KEY: required with the other GITHUB_APP_* settings',
    ]);
    const both = errorOf({ ...app, GITHUB_TOKEN: 't', GITHUB_REPOSITORY: 'acme/shop', GIT_REMOTE: 'origin' });
    expect(both.problems).toEqual(['GITHUB_TOKEN: set either it or the GITHUB_APP_* settings, not both']);
    expect(both.message).not.toContain('MIIE');
  });
});
