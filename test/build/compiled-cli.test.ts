import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../cli/binary.ts';

const run = promisify(execFile);

/**
 * The build's output on its own: src/ compiled into a temporary copy of the package that has no
 * src/ at all, so every file the code reads beside itself (Lua, dashboard assets, the demo history,
 * package.json) must be found from dist/, and bin/ must take dist/ without tsx.
 */
describe('the compiled CLI', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'improvement-loop-dist-'));
  const dataDir = path.join(root, 'data');
  const env = { PATH: process.env.PATH ?? '', HOME: root, DATA_DIR: dataDir, NO_COLOR: '1' };

  beforeAll(async () => {
    cpSync(path.join(REPO, 'bin'), path.join(root, 'bin'), { recursive: true });
    cpSync(path.join(REPO, 'package.json'), path.join(root, 'package.json'));
    symlinkSync(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'));
    await run(process.execPath, [path.join(REPO, 'scripts', 'build.mjs'), '--out', path.join(root, 'dist')], { timeout: 300_000 });
  }, 300_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('answers --help and proposals list from dist/, with no src/ beside it', async () => {
    expect(existsSync(path.join(root, 'src'))).toBe(false);
    const help = await run(process.execPath, [path.join(root, 'bin', 'improvement-loop.js'), '--help'], { env, cwd: root });
    expect(help.stdout).toContain('proposals');
    const list = await run(process.execPath, [path.join(root, 'bin', 'improvement-loop.js'), 'proposals', 'list'], { env, cwd: root });
    expect(list.stdout).toMatch(/No proposals in the embedded store at /);
  });

  /** The packages (from node_modules) a command imports, seen by a module hook that writes each to stderr. */
  async function packagesLoadedBy(args: string[]): Promise<Set<string>> {
    const hooks = path.join(root, 'trace-hooks.mjs');
    writeFileSync(
      hooks,
      `export async function resolve(specifier, context, next) {
        const resolved = await next(specifier, context);
        const m = /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(resolved.url);
        if (m) process.stderr.write('PACKAGE ' + m[1] + '\\n');
        return resolved;
      }\n`,
    );
    const register = `data:text/javascript,import{register}from'node:module';register(${JSON.stringify(`file://${hooks}`)})`;
    const { stderr } = await run(process.execPath, ['--import', register, path.join(root, 'bin', 'improvement-loop.js'), ...args], {
      env,
      cwd: root,
    });
    return new Set([...stderr.matchAll(/^PACKAGE (\S+)$/gm)].map((m) => m[1]!));
  }

  it('loads only commander for --help, and no SDK, Redis client or warehouse for proposals list', async () => {
    expect([...(await packagesLoadedBy(['--help']))]).toEqual(['commander']);
    const listing = await packagesLoadedBy(['proposals', 'list']);
    expect(listing).toContain('better-sqlite3');
    for (const heavy of [
      'ioredis',
      '@duckdb/node-api',
      '@slack/bolt',
      '@anthropic-ai/sdk',
      '@google-cloud/bigquery',
      'prom-client',
      'cron-parser',
    ])
      expect(listing, heavy).not.toContain(heavy);
  });

  it('carries the files the code reads beside itself', async () => {
    const dist = path.join(root, 'dist');
    for (const file of [
      'adapters/store/redis/lua/write.lua',
      'adapters/web/assets/dashboard.css',
      'demo/repo-history/01-start-service/package.json',
    ])
      expect(existsSync(path.join(dist, file)), file).toBe(true);
    expect(existsSync(path.join(dist, 'cli', 'main.js'))).toBe(true);
    // Reads its Lua at import: this fails if the scripts were left behind in src/.
    const probe = `await import(${JSON.stringify(path.join(dist, 'adapters/store/redis/scripts.js'))}); console.log('ok')`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', probe], { env, cwd: root });
    expect(stdout.trim()).toBe('ok');
  });
});

describe('bin/load-cli.js', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'improvement-loop-stamp-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const at = (seconds: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, seconds));

  it('takes dist/ only when its stamp is newer than every file in src/', async () => {
    cpSync(path.join(REPO, 'bin'), path.join(root, 'bin'), { recursive: true });
    mkdirSync(path.join(root, 'src', 'deep'), { recursive: true });
    const source = path.join(root, 'src', 'deep', 'a.ts');
    writeFileSync(source, 'export {};\n');
    utimesSync(source, at(10), at(10));
    const { distIsCurrent } = (await import(path.join(root, 'bin', 'load-cli.js'))) as { distIsCurrent(): boolean };
    expect(distIsCurrent()).toBe(false); // no dist/ at all
    mkdirSync(path.join(root, 'dist'));
    expect(distIsCurrent()).toBe(false); // a dist/ without its stamp: a build that did not finish
    const stamp = path.join(root, 'dist', '.build-stamp');
    writeFileSync(stamp, 'built\n');
    utimesSync(stamp, at(20), at(20));
    expect(distIsCurrent()).toBe(true);
    utimesSync(source, at(30), at(30)); // edited after the build
    expect(distIsCurrent()).toBe(false);
  });
});
