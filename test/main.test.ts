import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { deleteKeysWithPrefix, probeRedis, randomKeyPrefix, REDIS_TEST_URL } from './helpers/redis.ts';

const redisUp = await probeRedis();

const root = path.resolve(import.meta.dirname, '..');

interface Started {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  exit: Promise<number | null>;
}

/** Starts the service the way `npm start` does, on a free port, with nothing configured. */
async function startService(dataDir: string, env: Record<string, string> = {}): Promise<Started> {
  const child = spawn(process.execPath, [path.join(root, 'bin/improvement-loop.js'), 'serve'], {
    cwd: dataDir,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: dataDir,
      PORT: '0',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      SAMPLE_METRIC_ROWS: '20000',
      SAMPLE_INTERACTIONS: '3000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d));
  child.stderr!.on('data', (d: Buffer) => (err += d));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`service did not start: ${out}\n${err}`)), 20_000);
    child.stdout!.on('data', () => {
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exit.then((code) => reject(new Error(`service exited with ${code}: ${out}\n${err}`)));
  });
  return { child, url, stdout: () => out, exit };
}

describe('npm start', () => {
  const dirs: string[] = [];
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('starts on embedded defaults, says which mode each part runs in, and guards the API with a generated token', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'il-start-'));
    dirs.push(dir);
    const service = await startService(dir);
    children.push(service.child);
    const lines = service.stdout().trim().split('\n');
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual([
      'store',
      'warehouse',
      'repository',
      'llm',
      'slack',
      'executor',
      'scheduler',
      'http',
    ]);
    expect(service.stdout()).toMatch(/store\s+embedded \(SQLite at /);
    expect(service.stdout()).toMatch(/slack\s+off/);
    expect(service.stdout()).toMatch(/warehouse\s+duckdb \(sample at .*20,000 metric rows/);
    expect(service.stdout()).toMatch(/repository\s+demo repository at /);
    expect(service.stdout()).toMatch(/http .*PUBLIC_URL unset: Slack messages carry no dashboard links/);
    const token = readFileSync(path.join(dir, 'api-token'), 'utf8').trim();
    expect(service.stdout()).not.toContain(token);
    expect((await fetch(`${service.url}/api/improvements/metrics`)).status).toBe(401);
    const metrics = await fetch(`${service.url}/api/improvements/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(metrics.status).toBe(200);
    expect(await metrics.json()).toMatchObject({ metrics: { improvementsProposed: 0 }, proposals: { total: 0 } });
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${service.url}/metrics`)).status).toBe(401);
    const scrape = await fetch(`${service.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(scrape.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const exposition = await scrape.text();
    // Prometheus text format: comments, then `name{labels} value` samples, nothing else.
    for (const line of exposition
      .trim()
      .split('\n')
      .filter((l) => l !== '')) {
      expect(line).toMatch(
        /^(# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+|[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? -?[0-9.e+-]+|[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? (NaN|[+-]Inf))$/,
      );
    }
    expect(exposition).toContain('improvement_loop_proposals{status="pending"} 0');
    expect(exposition).toContain('improvement_loop_store_up 1');
    service.child.kill('SIGTERM');
    expect(await service.exit).toBe(0);
  });

  it('runs the scheduled jobs when ENABLE_SELF_IMPROVEMENT is true, catching up a slot missed while it was down, and shows them on the health route', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'il-schedule-'));
    dirs.push(dir);
    // The hourly job last succeeded two days ago: its latest slot was missed and runs once at start.
    mkdirSync(path.join(dir, 'schedule', 'records'), { recursive: true });
    writeFileSync(path.join(dir, 'schedule', 'records', 'hourly-auto-execution.last-success'), String(Date.now() - 2 * 86_400_000));
    const service = await startService(dir, { ENABLE_SELF_IMPROVEMENT: 'true', SCHEDULE_TIMEZONE: 'Europe/Berlin' });
    children.push(service.child);
    expect(service.stdout()).toMatch(
      /scheduler\s+on \(Europe\/Berlin; missed slots run once at start; next: daily-analysis \S+, weekly-proposals/,
    );
    let health: { scheduler: { enabled: boolean; jobs: { job: string; lastRun: { outcome: string } | null }[] } } | undefined;
    for (let i = 0; i < 100; i++) {
      health = await (await fetch(`${service.url}/api/improvements/health`)).json();
      if (health?.scheduler.jobs.find((j) => j.job === 'hourly-auto-execution')?.lastRun) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(health?.scheduler.enabled).toBe(true);
    expect(health?.scheduler.jobs.map((j) => j.job)).toEqual(
      expect.arrayContaining(['daily-analysis', 'weekly-proposals', 'monthly-refactoring', 'hourly-auto-execution']),
    );
    expect(health?.scheduler.jobs.find((j) => j.job === 'hourly-auto-execution')?.lastRun?.outcome).toBe('ran');
    // The daily analysis never ran here: it waits for its slot instead of running at every start.
    expect(health?.scheduler.jobs.find((j) => j.job === 'daily-analysis')?.lastRun).toBeNull();
    service.child.kill('SIGTERM');
    expect(await service.exit).toBe(0);
  });

  it('finishes in-flight requests on SIGTERM, then exits cleanly', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'il-stop-'));
    dirs.push(dir);
    const service = await startService(dir, { API_TOKENS: 'test-token' });
    children.push(service.child);
    const auth = { authorization: 'Bearer test-token', 'content-type': 'application/json' };
    const inFlight = Array.from({ length: 20 }, (_, i) =>
      fetch(`${service.url}/api/improvements/proposals?limit=${i + 1}`, { headers: auth }).then(
        (r) => r.status,
        () => 'connection refused',
      ),
    );
    await new Promise((r) => setTimeout(r, 5));
    service.child.kill('SIGTERM');
    const statuses = await Promise.all(inFlight);
    // Requests already accepted finish with an answer; none is cut off mid-response with a 5xx.
    expect(statuses.filter((s) => typeof s === 'number' && s >= 500)).toEqual([]);
    expect(statuses.some((s) => s === 200)).toBe(true);
    expect(await service.exit).toBe(0);
  });

  it.skipIf(!redisUp)('runs on Redis when REDIS_URL is set, with the same API', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'il-redis-'));
    dirs.push(dir);
    const prefix = randomKeyPrefix('main');
    try {
      const service = await startService(dir, { REDIS_URL: REDIS_TEST_URL, REDIS_KEY_PREFIX: prefix, API_TOKENS: 't1,t2' });
      children.push(service.child);
      expect(service.stdout()).toMatch(/store\s+redis \(key prefix "/);
      const ready = await fetch(`${service.url}/readyz`);
      expect(ready.status).toBe(200);
      const list = await fetch(`${service.url}/api/improvements/proposals`, { headers: { authorization: 'Bearer t2' } });
      expect(await list.json()).toMatchObject({ proposals: [], total: 0 });
      service.child.kill('SIGTERM');
      expect(await service.exit).toBe(0);
    } finally {
      await deleteKeysWithPrefix(prefix);
    }
  });

  it('refuses to start on a wrong setting, naming the variable', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'il-bad-'));
    dirs.push(dir);
    const child = spawn(process.execPath, [path.join(root, 'bin/improvement-loop.js'), 'serve'], {
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dir, PORT: 'not-a-port' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(err).toMatch(/PORT: .*\(got "not-a-port"\)/);
  });
});
