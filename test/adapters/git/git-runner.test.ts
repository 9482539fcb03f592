import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitRun } from '../../../src/adapters/executor/git/git-command.ts';
import { GIT_GUARD_CONFIG, gitEnvironment, gitGuardArgs } from '../../../src/adapters/git/git-runner.ts';
import { createGitRepositoryReader } from '../../../src/adapters/git/history/git-repository-reader.ts';
import { createDemoRepo } from '../../../src/demo/demo-repo.ts';

const exec = promisify(execFile);

describe('the git runner', () => {
  it('gives every guard as -c and refuses a caller setting that names a guarded key', () => {
    const args = gitGuardArgs(['core.quotePath=true']);
    expect(args.filter((_, i) => i % 2 === 0).every((flag) => flag === '-c')).toBe(true);
    expect(args.filter((_, i) => i % 2 === 1)).toEqual([...GIT_GUARD_CONFIG, 'core.quotePath=true']);
    for (const guard of ['core.hooksPath=/dev/null', 'core.fsmonitor=false', 'core.pager=cat', 'core.editor=false']) {
      expect(GIT_GUARD_CONFIG).toContain(guard);
    }
    expect(() => gitGuardArgs(['Core.HooksPath=.husky'])).toThrow(/override a guard/);
    expect(() => gitGuardArgs(['core.quotePath=false', 'core.fileMode=true'])).not.toThrow();
  });

  it('passes on only what git needs and fixes the variables no caller can change', () => {
    const source = {
      PATH: '/bin',
      HOME: '/home/x',
      EDITOR: 'vi',
      VISUAL: 'vi',
      PAGER: 'less',
      SSH_AUTH_SOCK: '/tmp/agent',
      GIT_DIR: '/elsewhere',
      GIT_CONFIG_PARAMETERS: "'core.hooksPath'='.husky'",
    };
    const extra = { GIT_AUTHOR_NAME: 'bot', GIT_TERMINAL_PROMPT: '1', GIT_CONFIG_NOSYSTEM: '0' };
    expect(gitEnvironment({ extra }, source)).toEqual({
      PATH: '/bin',
      HOME: '/home/x',
      GIT_AUTHOR_NAME: 'bot',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_TERMINAL_PROMPT: '0',
      GIT_OPTIONAL_LOCKS: '0',
      GIT_PAGER: 'cat',
      GIT_ALLOW_PROTOCOL: 'file:git:ssh:http:https',
      LC_ALL: 'C',
    });
    expect(gitEnvironment({ remotes: true }, source)).toMatchObject({ SSH_AUTH_SOCK: '/tmp/agent' });
  });
});

const HOOKS = [
  'pre-commit',
  'prepare-commit-msg',
  'commit-msg',
  'post-commit',
  'post-checkout',
  'reference-transaction',
  'post-index-change',
];
const SHELL_VARIABLES = new Set(['PWD', 'OLDPWD', 'SHLVL', '_']);

interface GitCall {
  argv: string[];
  env: Record<string, string>;
}

/**
 * A hostile $HOME config (hook template, fsmonitor, pager, editor), a hostile repository config and a
 * hostile process environment, with a `git` first on PATH that records each call's arguments and
 * environment before running the real git: the executor, the history reader and the demo builder
 * must run none of the planted programs and must hand git the same guards and environment.
 */
describe('the three git callers', () => {
  let root: string;
  let target: string;
  let canary: string;
  let calls: string;
  const saved = { ...process.env };

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'il-git-runner-'));
    const home = path.join(root, 'home');
    const evil = path.join(root, 'evil');
    canary = path.join(root, 'canary');
    calls = path.join(root, 'calls');
    target = path.join(root, 'target');
    for (const dir of [home, calls, target, path.join(evil, 'template/hooks'), path.join(root, 'bin')])
      await mkdir(dir, { recursive: true });
    const script = `#!/bin/sh\necho "$0 $*" >> '${canary}'\nexit 0\n`;
    await writeFile(path.join(evil, 'run.sh'), script, { mode: 0o755 });
    for (const hook of HOOKS) await writeFile(path.join(evil, 'template/hooks', hook), script, { mode: 0o755 });
    const run = path.join(evil, 'run.sh');
    await writeFile(
      path.join(home, '.gitconfig'),
      `[init]\n\ttemplateDir = ${path.join(evil, 'template')}\n[core]\n\tfsmonitor = ${run}\n\tpager = ${run} pager\n\teditor = ${run} editor\n` +
        `[sequence]\n\teditor = ${run} sequence-editor\n[protocol]\n\tallow = always\n[user]\n\tname = t\n\temail = t@example.test\n`,
    );
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    const recorder = `#!/bin/sh\nf=$(mktemp '${calls}/call.XXXXXX')\nfor a in "$@"; do printf '%s\\0' "$a"; done > "$f.argv"\nenv -0 > "$f.env"\nexec '${realGit}' "$@"\n`;
    await writeFile(path.join(root, 'bin/git'), recorder);
    await chmod(path.join(root, 'bin/git'), 0o755);

    Object.assign(process.env, {
      HOME: home,
      PATH: `${path.join(root, 'bin')}${path.delimiter}${saved.PATH ?? ''}`,
      EDITOR: `${run} env-editor`,
      VISUAL: `${run} env-visual`,
      PAGER: `${run} env-pager`,
      GIT_EDITOR: `${run} env-git-editor`,
      GIT_PAGER: `${run} env-git-pager`,
    });
    const plain = { ...process.env, GIT_CONFIG_NOSYSTEM: '1' };
    await exec('git', ['init', '-q', '--initial-branch=main'], { cwd: target, env: plain });
    await writeFile(path.join(target, 'a.js'), 'let a = 1;\n');
    const quiet = ['-c', 'core.hooksPath=/dev/null', '-c', 'core.fsmonitor=false'];
    await exec('git', [...quiet, 'add', 'a.js'], { cwd: target, env: plain });
    await exec('git', [...quiet, 'commit', '-q', '-m', 'one'], { cwd: target, env: plain });
    await exec('git', ['config', 'core.pager', `${run} local-pager`], { cwd: target, env: plain });
    await exec('git', ['config', 'protocol.ext.allow', 'always'], { cwd: target, env: plain });
  });
  afterAll(async () => {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
    await rm(root, { recursive: true, force: true });
  });

  /** A remote whose URL is a command: git runs it for `ext::` when a config allows that transport. */
  const extRemote = () => `ext::sh -c echo% ext% transport% ran% >>${canary}`;

  async function recordedCalls(action: () => Promise<unknown>): Promise<GitCall[]> {
    await rm(calls, { recursive: true, force: true });
    await mkdir(calls);
    await action();
    const recorded: GitCall[] = [];
    for (const file of (await readdir(calls)).filter((name) => name.endsWith('.argv'))) {
      const argv = (await readFile(path.join(calls, file), 'utf8')).split('\0').slice(0, -1);
      const pairs = (await readFile(path.join(calls, file.replace(/\.argv$/, '.env')), 'utf8')).split('\0').slice(0, -1);
      const env = Object.fromEntries(pairs.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
      recorded.push({ argv, env });
    }
    return recorded;
  }

  it('runs the planted programs when plain git is used (so the plant is live)', async () => {
    const withEnvPlants = { ...process.env, GIT_CONFIG_NOSYSTEM: '1' };
    expect((await exec('git', ['var', 'GIT_EDITOR'], { cwd: target, env: withEnvPlants })).stdout).toMatch(/env-git-editor/);
    expect((await exec('git', ['var', 'GIT_PAGER'], { cwd: target, env: withEnvPlants })).stdout).toMatch(/env-git-pager/);
    // Without the planted variables, plain git falls back to the planted config.
    const plain = Object.fromEntries(Object.entries(withEnvPlants).filter(([name]) => !/^(GIT_)?(EDITOR|PAGER)$|^VISUAL$/.test(name)));
    expect(existsSync(path.join(target, '.git/hooks/pre-commit'))).toBe(true);
    await exec('git', ['status'], { cwd: target, env: plain });
    await exec('git', ['commit', '-q', '--allow-empty', '-m', 'x'], { cwd: target, env: plain });
    await exec('git', ['commit', '-q', '--allow-empty'], { cwd: target, env: plain }).catch(() => undefined);
    const ran = await readFile(canary, 'utf8');
    expect(ran).toMatch(/pre-commit/);
    expect(ran).toMatch(/post-commit/);
    expect(ran).toMatch(/run\.sh .*fsmonitor|run\.sh \d/); // the fsmonitor hook is called with a version and a token
    expect(ran).toMatch(/run\.sh editor/);
    expect((await exec('git', ['var', 'GIT_PAGER'], { cwd: target, env: plain })).stdout).toMatch(/local-pager/);
    await exec('git', ['-c', 'core.hooksPath=/dev/null', '-c', 'core.fsmonitor=false', 'reset', '-q', '--soft', 'HEAD~1'], {
      cwd: target,
      env: plain,
    });
    await rm(canary, { force: true });
    await exec('git', ['push', '-q', extRemote(), 'HEAD:refs/heads/x'], { cwd: target, env: plain }).catch(() => undefined);
    expect(await readFile(canary, 'utf8')).toMatch(/ext transport ran/);
    await rm(canary, { force: true });
  });

  it('runs none of them through the executor, the history reader or the demo builder, which get the same guards and environment', async () => {
    await rm(canary, { force: true });
    const identity = {
      GIT_AUTHOR_NAME: 'bot',
      GIT_AUTHOR_EMAIL: 'bot@example.test',
      GIT_COMMITTER_NAME: 'bot',
      GIT_COMMITTER_EMAIL: 'bot@example.test',
    };
    const viaExecutor = await recordedCalls(async () => {
      const run = createGitRun();
      await run(['status'], { cwd: target });
      await run(['commit', '-q', '--allow-empty', '-m', 'through the executor'], { cwd: target, env: identity });
      expect((await run(['commit', '-q', '--allow-empty'], { cwd: target, env: identity, allowFailure: true })).code).not.toBe(0);
      expect((await run(['var', 'GIT_PAGER'], { cwd: target })).stdout.trim()).toBe('cat');
      expect((await run(['var', 'GIT_EDITOR'], { cwd: target })).stdout.trim()).toBe('false');
      const pushed = await run(['push', '-q', extRemote(), 'HEAD:refs/heads/x'], { cwd: target, allowFailure: true });
      expect(pushed.stderr).toMatch(/transport 'ext' not allowed/);
    });
    const viaReader = await recordedCalls(async () => {
      const reader = createGitRepositoryReader(target);
      expect(await reader.listFiles()).toEqual(['a.js']);
      expect(await reader.blame('a.js', [1])).toHaveLength(1);
      expect((await reader.commitsTouching(['a.js'])).length).toBeGreaterThan(0);
    });
    const demoDir = path.join(root, 'demo');
    const viaDemo = await recordedCalls(async () => expect((await createDemoRepo({ dir: demoDir })).created).toBe(true));

    expect(existsSync(path.join(demoDir, '.git/hooks/pre-commit'))).toBe(true); // the hostile template reached the demo repository too
    expect(existsSync(canary) ? await readFile(canary, 'utf8') : '').toBe('');

    // One policy for all three; only the executor, which pushes, also gets what a push needs.
    for (const [caller, recorded, own, expectedEnv] of [
      ['executor', viaExecutor, ['core.quotePath=true'], gitEnvironment({ remotes: true })],
      ['reader', viaReader, ['core.quotePath=false'], gitEnvironment()],
      ['demo', viaDemo, ['core.fileMode=true'], gitEnvironment()],
    ] as const) {
      expect(recorded.length, caller).toBeGreaterThan(2);
      for (const { argv, env } of recorded) {
        expect(argv.slice(0, 2 * (GIT_GUARD_CONFIG.length + own.length)), caller).toEqual(gitGuardArgs(own));
        const shared = Object.fromEntries(
          Object.entries(env).filter(
            ([name]) =>
              !SHELL_VARIABLES.has(name) && !/^GIT_(AUTHOR|COMMITTER)_/.test(name) && name !== 'GIT_TEST_DISALLOW_ABBREVIATED_OPTIONS',
          ),
        );
        expect(shared, `${caller}: git ${argv.slice(2 * GIT_GUARD_CONFIG.length).join(' ')}`).toEqual(expectedEnv);
      }
    }
  });
});
