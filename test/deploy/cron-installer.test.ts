import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { jobCrons } from '../../src/schedule/service-jobs.ts';

const root = path.resolve(import.meta.dirname, '../..');
const installer = path.join(root, 'scripts/setup-cron.sh');

/**
 * A temp machine: a fake `crontab` that keeps the table in a file (reading all of stdin before it
 * writes, as the real one does), a fake `node` that prints the environment it was started with, a
 * log folder and a settings file path. Nothing outside the temp dir is touched.
 */
function fakeMachine() {
  const dir = mkdtempSync(path.join(tmpdir(), 'setup-cron-'));
  const bin = path.join(dir, 'bin');
  mkdirSync(bin);
  const table = path.join(dir, 'crontab.txt');
  writeFileSync(
    path.join(bin, 'crontab'),
    `#!/bin/sh\nif [ "$1" = -l ]; then cat '${table}' 2>/dev/null || exit 1; exit 0; fi\ncat > '${table}.new' && mv '${table}.new' '${table}'\n`,
  );
  writeFileSync(path.join(bin, 'node'), '#!/bin/sh\necho "args: $*"\nenv\n');
  chmodSync(path.join(bin, 'crontab'), 0o755);
  chmodSync(path.join(bin, 'node'), 0o755);
  const envFile = path.join(dir, 'etc', 'env');
  const logDir = path.join(dir, 'log');
  return {
    dir,
    table,
    envFile,
    logDir,
    /** Runs the installer with only these variables set, as a fresh login would. */
    install(args: string[], settings: Record<string, string> = {}) {
      return spawnSync('bash', [installer, ...args], {
        env: { PATH: `${bin}:/usr/bin:/bin`, APP_DIR: root, LOG_DIR: logDir, NODE: path.join(bin, 'node'), ENV_FILE: envFile, ...settings },
        encoding: 'utf8',
      });
    },
    lines: () => readFileSync(table, 'utf8').trim().split('\n'),
  };
}

/** What cron does with a line: the command part, run by /bin/sh with an empty environment. */
function runAsCron(line: string): Record<string, string> & { args: string } {
  const command = line.split(' ').slice(5).join(' ');
  execFileSync('env', ['-i', '/bin/sh', '-c', command]);
  const log = /(\/\S+\.log) 2>>/.exec(command)![1]!;
  const [argsLine, ...env] = readFileSync(log, 'utf8').trim().split('\n');
  return {
    ...Object.fromEntries(env.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)])),
    args: argsLine!.replace(/^args: /, ''),
  };
}

describe('scripts/setup-cron.sh', () => {
  let machine: ReturnType<typeof fakeMachine>;
  beforeEach(() => {
    machine = fakeMachine();
  });
  afterEach(() => rmSync(machine.dir, { recursive: true, force: true }));

  it('prints, with --dry-run, a line per CLI job on the server’s default crons, each sourcing the settings file, and writes nothing', () => {
    const result = machine.install(['--dry-run'], { REDIS_URL: 'redis://secret@10.0.0.5:6379' });
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split('\n');
    const crons = jobCrons(loadConfig({}).schedule);
    const runnable = lines.filter((l) => !l.startsWith('#'));
    expect(runnable.map((l) => [l.split(' ').slice(0, 5).join(' '), /improvement-loop:([a-z-]+)$/.exec(l)?.[1]])).toEqual([
      [crons['daily-analysis'], 'daily-analysis'],
      [crons['weekly-proposals'], 'weekly-proposals'],
      [crons['monthly-refactoring'], 'monthly-refactoring'],
      [crons['hourly-auto-execution'], 'hourly-auto-execution'],
      [crons['regression-watch'], 'regression-watch'],
    ]);
    for (const line of runnable) {
      expect(line).toContain(`set -a && . ${machine.envFile} && set +a && cd ${root} && `);
      expect(line).toMatch(/>> \S+\/log\/[\w-]+\.log 2>> \S+\/log\/[\w-]+-error\.log # improvement-loop:[a-z-]+$/);
    }
    // The settings it would write are named, their values not shown.
    expect(result.stderr).toContain('REDIS_URL=<from this shell>');
    expect(result.stderr).not.toContain('secret@');
    expect(spawnSync('test', ['-e', machine.envFile]).status).toBe(1);
    expect(spawnSync('test', ['-e', machine.table]).status).toBe(1);
  });

  it('writes the settings file from this shell (mode 600), and its cron lines then run with those settings in an empty environment', () => {
    const dataDir = path.join(machine.dir, 'data');
    const result = machine.install([], {
      REDIS_URL: 'redis://10.0.0.5:6379',
      TELEMETRY_DIR: '/srv/tele metry',
      DATA_DIR: dataDir,
      UNRELATED: 'x',
    });
    expect(result.status, result.stderr).toBe(0);
    expect(statSync(machine.envFile).mode & 0o777).toBe(0o600);
    const daily = machine.lines()[0]!;
    const seen = runAsCron(daily);
    expect(seen.args).toBe('bin/improvement-loop.js cycle --type=daily');
    expect(seen).toMatchObject({
      REDIS_URL: 'redis://10.0.0.5:6379',
      TELEMETRY_DIR: '/srv/tele metry',
      DATA_DIR: dataDir,
      ENABLE_SELF_IMPROVEMENT: 'false',
    });
    expect(seen).not.toHaveProperty('UNRELATED');
    // The service reads the same names: the config built from that environment uses this store and this telemetry.
    const config = loadConfig(seen);
    expect(config.dataDir).toBe(dataDir);
    expect(config.redis.url).toBe('redis://10.0.0.5:6379');
    expect(config.telemetry.dir).toBe('/srv/tele metry');
    expect(config.enableSelfImprovement).toBe(false);
  });

  it('keeps an existing settings file as it is and takes the crons from it', () => {
    mkdirSync(path.dirname(machine.envFile));
    writeFileSync(machine.envFile, "DATA_DIR=/var/lib/il\nSCHEDULE_DAILY='15 3 * * *'\n");
    const result = machine.install([], { REDIS_URL: 'redis://ignored:6379' });
    expect(result.status, result.stderr).toBe(0);
    expect(readFileSync(machine.envFile, 'utf8')).toBe("DATA_DIR=/var/lib/il\nSCHEDULE_DAILY='15 3 * * *'\n");
    expect(machine.lines()[0]).toMatch(/^15 3 \* \* \* .*cycle --type=daily/);
  });

  it('refuses a settings file without DATA_DIR, and a value it cannot quote, leaving crontab and file alone', () => {
    mkdirSync(path.dirname(machine.envFile));
    writeFileSync(machine.envFile, 'REDIS_URL=redis://r:6379\n');
    const noDataDir = machine.install([]);
    expect(noDataDir.status).toBe(1);
    expect(noDataDir.stderr).toContain('does not set DATA_DIR');
    rmSync(machine.envFile);
    const quoted = machine.install([], { API_TOKENS: "it's" });
    expect(quoted.status).toBe(2);
    expect(spawnSync('test', ['-e', machine.envFile]).status).toBe(1);
    expect(spawnSync('test', ['-e', machine.table]).status).toBe(1);
  });

  it('replaces its own earlier lines, old untagged ones included, and keeps everyone else’s', () => {
    writeFileSync(
      machine.table,
      '5 4 * * * /usr/local/bin/backup\n0 2 * * * cd /old && node bin/improvement-loop.js cycle --type=daily # improvement-loop\n',
    );
    expect(machine.install([]).status).toBe(0);
    expect(machine.install([]).status).toBe(0);
    const lines = machine.lines();
    expect(lines[0]).toBe('5 4 * * * /usr/local/bin/backup');
    expect(lines.filter((l) => l.includes('cd /old'))).toEqual([]);
    expect(lines.filter((l) => l.includes('# improvement-loop:'))).toHaveLength(6);
  });
});
