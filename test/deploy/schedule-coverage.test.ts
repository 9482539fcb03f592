import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ImprovementLoop } from '../../src/app.ts';
import { runCli } from '../../src/cli/main.ts';
import { loadConfig } from '../../src/config.ts';
import { JOB_NAMES, scheduledJobs } from '../../src/schedule/service-jobs.ts';

const root = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

/** The jobs `serve` schedules: it always hands the scheduler a digest (Slack, or the outbox). */
function servedJobs(): string[] {
  const app = { config: loadConfig({}), runCycle: undefined as never, jobStore: undefined as never, jobDecisions: undefined as never };
  return scheduledJobs(app satisfies Pick<ImprovementLoop, 'config' | 'runCycle' | 'jobStore' | 'jobDecisions'>, {
    digest: async () => undefined,
  }).map((j) => j.name);
}

/**
 * Whether the CLI has this command with these options: its own help (not the program's, which
 * commander prints for an unknown command) names every option used. In this process, no spawn.
 */
async function cliKnows(args: string[]): Promise<boolean> {
  const [command, ...options] = args;
  let help = '';
  const stdout = Object.assign(new PassThrough(), { isTTY: false });
  stdout.on('data', (chunk: Buffer) => (help += chunk.toString()));
  const stderr = Object.assign(new PassThrough(), { isTTY: false });
  const code = await runCli(['node', 'improvement-loop', command!, '--help'], { stdout, stderr, env: {} });
  return (
    code === 0 && help.startsWith(`Usage: improvement-loop ${command} `) && options.every((option) => help.includes(option.split('=')[0]!))
  );
}

describe('every scheduled job has a way to run', () => {
  it('in the server: the systemd unit and compose start `serve` with its scheduler on, and it schedules every job', () => {
    expect(servedJobs()).toEqual([...JOB_NAMES]);
    const unit = read('scripts/improvement-loop.service');
    expect(unit).toContain('ExecStart=/usr/bin/node bin/improvement-loop.js serve');
    expect(unit).toMatch(/^Environment=.*\bENABLE_SELF_IMPROVEMENT=true\b/m);
    // systemd lets EnvironmentFile= override Environment=, so the unit's values are defaults the settings file may change.
    expect(unit).toMatch(/^EnvironmentFile=-\/etc\/improvement-loop\/env$/m);
    expect(read('compose.yaml')).toMatch(/^      ENABLE_SELF_IMPROVEMENT: "true"$/m);
    expect(read('Dockerfile')).toContain('CMD ["node", "bin/improvement-loop.js", "serve"]');
  });

  it('under cron: a line that runs a CLI command the CLI has, or a comment that says only the server runs it', async () => {
    const lines = execFileSync('bash', [path.join(root, 'scripts/setup-cron.sh'), '--dry-run'], {
      env: { PATH: process.env.PATH ?? '', LOG_DIR: '/var/log/il', NODE: '/usr/bin/node', ENV_FILE: '/nonexistent/env' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .trim()
      .split('\n');
    for (const job of JOB_NAMES) {
      const line = lines.find((l) => l.endsWith(`# improvement-loop:${job}`));
      expect(line, job).toBeDefined();
      if (line!.startsWith('#')) {
        expect(line, job).toContain('only a server with ENABLE_SELF_IMPROVEMENT=true');
        continue;
      }
      const command = /bin\/improvement-loop\.js ([^;]+);/.exec(line!)?.[1];
      expect(command, job).toBeDefined();
      expect(await cliKnows(command!.split(' ')), command).toBe(true);
    }
    expect(await cliKnows(['no-such-command'])).toBe(false);
    expect(await cliKnows(['cycle', '--no-such-option'])).toBe(false);
  });

  it('with no timer units left that would run a second, partial schedule beside the server', () => {
    expect(readdirSync(path.join(root, 'scripts')).filter((f) => f.endsWith('.timer'))).toEqual([]);
  });
});
