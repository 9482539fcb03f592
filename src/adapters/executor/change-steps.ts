import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { GitRun } from './git/git-command.ts';
import { judgeParsed, packageJsonPaths, type BaseFacts, type RailsOptions, type RailsVerdict } from './rails/change-rails.ts';
import { parsePatch } from './rails/patch-parser.ts';
import { SandboxUnavailable, runSandboxed as runInSandbox, type SandboxLimits, type SandboxResult } from './sandbox/test-sandbox.ts';
import type { InstallSettings } from './executor-settings.ts';
import type { TestRunJournal } from './test-run-journal.ts';

/**
 * The steps that turn a patch (or an agent's edits) into a tested change in a worktree. Shared by
 * execution and by the trial of a patch before it is proposed, so both see the same rails.
 */

export class ChangeRefused extends Error {
  override name = 'ChangeRefused';
  constructor(
    message: string,
    readonly verdict?: RailsVerdict,
  ) {
    super(message);
  }
}

/** Symlinks of the base tree, the package.json files the patch touches and an upgrade's lockfile, read from git objects. */
export async function readBaseFacts(
  run: GitRun,
  repoPath: string,
  baseSha: string,
  packagePaths: readonly string[],
  lockfilePaths: readonly string[] = [],
): Promise<BaseFacts> {
  const tree = (await run(['ls-tree', '-r', '-z', '--full-tree', baseSha], { cwd: repoPath })).stdout;
  const symlinks = new Set<string>();
  const modes = new Map<string, string>();
  for (const entry of tree.split('\0')) {
    if (entry === '') continue;
    const file = entry.slice(entry.indexOf('\t') + 1);
    modes.set(file, entry.slice(0, 6));
    if (entry.startsWith('120000 ')) symlinks.add(file);
  }
  const blob = async (file: string) => {
    const shown = await run(['cat-file', 'blob', `${baseSha}:${file}`], { cwd: repoPath, allowFailure: true });
    return shown.code === 0 ? shown.stdout : null;
  };
  const packageJson = new Map<string, string | null>();
  for (const file of packagePaths) packageJson.set(file, await blob(file));
  const lockfiles = new Map<string, string | null>();
  for (const file of lockfilePaths) lockfiles.set(file, await blob(file));
  return { symlinks, packageJson, modes, lockfiles };
}

/** The base contents the rails read for a parsed change. */
function readBaseFactsFor(run: GitRun, repoPath: string, baseSha: string, parsed: ReturnType<typeof parsePatch>, rails: RailsOptions) {
  const upgrade = rails.dependencyUpgrade;
  return readBaseFacts(run, repoPath, baseSha, packageJsonPaths(parsed, upgrade), upgrade ? [upgrade.lockfile] : []);
}

/** The rails on the patch text, before anything is applied. */
export async function judgeProposedPatch(
  run: GitRun,
  repoPath: string,
  baseSha: string,
  patch: string,
  rails: RailsOptions,
): Promise<RailsVerdict> {
  const parsed = parsePatch(patch);
  return judgeParsed(parsed, rails, await readBaseFactsFor(run, repoPath, baseSha, parsed, rails));
}

/** `git apply --check`, then `git apply --index`: git's own refusals are the second layer. */
export async function applyPatch(run: GitRun, worktree: string, patch: string): Promise<void> {
  const flags = ['--whitespace=nowarn', '-p1'];
  const check = await run(['apply', '--check', ...flags], { cwd: worktree, input: patch, allowFailure: true });
  if (check.code !== 0) throw new ChangeRefused(`git apply --check refused the patch: ${check.stderr.trim().slice(0, 1000)}`);
  await run(['apply', '--index', ...flags], { cwd: worktree, input: patch });
}

/**
 * The rails again, on the change as git recorded it (staged, against the base): whatever the patch
 * text looked like, this is what would be committed. For a patch, every path git touched must be
 * one the rails saw in the text, so a disagreement between our parser and git's is refused.
 */
export async function judgeStagedChange(
  run: GitRun,
  repoPath: string,
  worktree: string,
  baseSha: string,
  rails: RailsOptions,
  expectedPaths?: readonly string[],
): Promise<{ verdict: RailsVerdict; diff: string }> {
  await run(['add', '-A', '--', '.'], { cwd: worktree });
  const diff = (
    await run(['diff', '--cached', '--binary', '--full-index', '--no-ext-diff', '--no-textconv', '--no-color', '-M', baseSha], {
      cwd: worktree,
    })
  ).stdout;
  const parsed = parsePatch(diff);
  const verdict = judgeParsed(parsed, rails, await readBaseFactsFor(run, repoPath, baseSha, parsed, rails));
  if (expectedPaths) {
    const expected = new Set(expectedPaths);
    const unexpected = verdict.paths.filter((p) => !expected.has(p));
    if (unexpected.length) {
      verdict.refusals.push({
        rule: 'unparseable',
        reason: `git changed paths the patch text did not show: ${unexpected.slice(0, 5).join(', ')}`,
      });
      verdict.allowed = false;
    }
  }
  return { verdict, diff };
}

export interface TestRunSettings {
  command: string;
  limits: SandboxLimits;
  /** Run `npm ci --ignore-scripts` first when the worktree has a package-lock.json and no node_modules. */
  installDependencies: boolean;
  /** How that install gets its packages (dependency-install.ts). */
  install: InstallSettings;
  runAs?: { uid: number; gid: number };
  /** Where each run is recorded while it goes, so recovery can kill it if the executor dies. */
  runs?: TestRunJournal;
}

export async function runTests(worktree: string, home: string, settings: TestRunSettings): Promise<SandboxResult> {
  await mkdir(home, { recursive: true });
  await handOver([worktree, home], settings.runAs);
  try {
    return await runSandboxed(
      {
        command: settings.command,
        cwd: worktree,
        limits: settings.limits,
        home,
        network: 'none',
        ...(settings.runAs ? { runAs: settings.runAs } : {}),
      },
      settings.runs,
    );
  } finally {
    await rm(path.join(home, '.npm', '_logs'), { recursive: true, force: true });
  }
}

/**
 * Gives the sandbox user the worktree and its home, so the tests can write there and nowhere
 * else that root owns (the user's repository, its .git, the service's files). The commit does not
 * depend on these files: it is made from the tree recorded before the tests ran.
 */
export async function handOver(dirs: string[], runAs: TestRunSettings['runAs']): Promise<void> {
  if (!runAs) return;
  await new Promise<void>((resolve, reject) => {
    execFile('chown', ['-R', '--no-dereference', `${runAs.uid}:${runAs.gid}`, '--', ...dirs], (error, _out, stderr) =>
      error ? reject(new Error(`chown for the sandbox user failed: ${stderr}`)) : resolve(),
    );
  });
}

/**
 * A missing sandbox refuses the change (trial or execution) instead of running its code unconfined.
 * The run is journaled from before its spawn (its marker) to its end, so a kill -9 at any point in
 * between leaves a record recovery can act on.
 */
export async function runSandboxed(run: Parameters<typeof runInSandbox>[0], runs: TestRunJournal | undefined): Promise<SandboxResult> {
  const record = { marker: randomBytes(12).toString('hex'), startedAt: new Date().toISOString(), command: run.command.slice(0, 300) };
  await runs?.write(record);
  let leaderWritten: Promise<void> = Promise.resolve();
  try {
    return await runInSandbox({
      ...run,
      marker: record.marker,
      onSpawned: (leader) => {
        // Not awaited by the sandbox; awaited below so the removal cannot race ahead of this write.
        if (runs && leader) leaderWritten = runs.write({ ...record, leader }).catch(() => undefined);
      },
    });
  } catch (error) {
    if (error instanceof SandboxUnavailable) throw new ChangeRefused(error.message);
    throw error;
  } finally {
    await leaderWritten;
    await runs?.remove(record.marker);
  }
}

export async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
