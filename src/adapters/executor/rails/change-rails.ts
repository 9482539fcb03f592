import type { DependencyUpgrade } from '../../../domain/proposal.ts';
import { judgeUpgradeEdit } from './dependency-upgrade-rule.ts';
import { checkPath, matchesProtected, type PathRule } from './path-rules.ts';
import { parsePatch, type FileChange, type Hunk, type ParsedPatch } from './patch-parser.ts';

/**
 * The rails: what a change may do before any of it is applied or tested. Pure: it judges the parsed
 * diff plus a few facts about the base tree the caller read (which paths are symlinks, what the
 * package.json files say), and returns every refusal with its reason. `git apply` refuses some of
 * these too; that is a second layer, not the one relied on.
 */

export interface RailsOptions {
  maxFiles: number;
  maxLinesPerFile: number;
  /** Globs; see matchesProtected for their meaning. */
  protectedPaths: readonly string[];
  allowBinary: boolean;
  allowModeChanges: boolean;
  /**
   * A security proposal's upgrade (when DEPENDENCY_UPGRADE_PATCHES allows): its package-lock.json,
   * protected by a lockfile glob, may change in the upgrade's shape only (dependency-upgrade-rule.ts).
   */
  dependencyUpgrade?: DependencyUpgrade;
}

export interface BaseFacts {
  /** Paths that are symlinks in the base tree: nothing may be written through them. */
  symlinks: ReadonlySet<string>;
  /** Content in the base tree of each package.json the change touches (null: absent in the base). */
  packageJson: ReadonlyMap<string, string | null>;
  /** Mode of every path in the base tree: git applies `new mode` whatever `old mode` claims. */
  modes?: ReadonlyMap<string, string>;
  /** Content in the base tree of the upgrade's lockfile (null: absent), when options.dependencyUpgrade is set. */
  lockfiles?: ReadonlyMap<string, string | null>;
}

export type RailRule =
  | PathRule
  | 'unparseable'
  | 'empty'
  | 'too-many-files'
  | 'too-many-lines'
  | 'symlink'
  | 'through-symlink'
  | 'gitlink'
  | 'mode-change'
  | 'binary'
  | 'package-scripts'
  | 'dependency-upgrade';

export interface Refusal {
  rule: RailRule;
  path?: string;
  reason: string;
}

export interface RailsVerdict {
  allowed: boolean;
  refusals: Refusal[];
  /** Paths the change touches (both sides of renames), for the check against what git really did. */
  paths: string[];
}

const SYMLINK = '120000';
const GITLINK = '160000';
const REGULAR = '100644';

export function judgePatch(patch: string, options: RailsOptions, base: BaseFacts): RailsVerdict {
  return judgeParsed(parsePatch(patch), options, base);
}

export function judgeParsed(parsed: ParsedPatch, options: RailsOptions, base: BaseFacts): RailsVerdict {
  const refusals: Refusal[] = parsed.problems.map((problem) => ({
    rule: 'unparseable',
    reason: `the patch cannot be read safely: ${problem}`,
  }));
  const paths = new Set<string>();
  if (parsed.files.length === 0) refusals.push({ rule: 'empty', reason: 'the change touches no file' });
  if (parsed.files.length > options.maxFiles) {
    refusals.push({
      rule: 'too-many-files',
      reason: `the patch touches ${parsed.files.length} files; at most ${options.maxFiles} are allowed`,
    });
  }
  const exempt = upgradeExemption(parsed, options);
  for (const file of parsed.files) {
    for (const path of [file.oldPath, file.newPath]) if (path !== null) paths.add(path);
    refusals.push(...judgeFile(file, options, base, exempt));
  }
  if (exempt) refusals.push(...upgradeRefusals(parsed, exempt, base));
  return { allowed: refusals.length === 0, refusals, paths: [...paths] };
}

/**
 * The upgrade whose lockfile the patch edits, when that lockfile is protected only by a lockfile
 * glob (package-lock.json, *.json...): any other protection the operator set still holds.
 */
function upgradeExemption(parsed: ParsedPatch, options: RailsOptions): DependencyUpgrade | undefined {
  const upgrade = options.dependencyUpgrade;
  if (!upgrade || !parsed.files.some((f) => f.oldPath === upgrade.lockfile || f.newPath === upgrade.lockfile)) return undefined;
  const name = upgrade.lockfile.slice(upgrade.lockfile.lastIndexOf('/') + 1);
  const others = options.protectedPaths.filter((glob) => glob.includes('/') || !matchesProtected(name, glob));
  return checkPath(upgrade.lockfile, others) === null ? upgrade : undefined;
}

/** An upgrade's patch edits its manifest and lockfile in place, and in the upgrade's shape only. */
function upgradeRefusals(parsed: ParsedPatch, upgrade: DependencyUpgrade, base: BaseFacts): Refusal[] {
  const refuse = (reason: string): Refusal => ({ rule: 'dependency-upgrade', path: upgrade.lockfile, reason });
  const own = new Set([upgrade.lockfile, upgrade.manifest]);
  const strays = parsed.files.filter((f) => f.kind !== 'modify' || f.binary || f.oldPath !== f.newPath || !own.has(f.newPath ?? ''));
  if (strays.length)
    return [
      refuse(
        `the upgrade of ${upgrade.package} may only edit ${upgrade.manifest} and ${upgrade.lockfile} in place; the patch also changes ${strays.map((f) => f.newPath ?? f.oldPath).join(', ')}`,
      ),
    ];
  const replay = (path: string, before: string | null | undefined): { before: string | null; after: string | null } | null => {
    const file = parsed.files.find((f) => f.newPath === path);
    if (before === undefined) return null;
    if (!file) return { before, after: before };
    const after = before === null ? null : applyHunks(before, file.hunks);
    return after === null ? null : { before, after };
  };
  const lock = replay(upgrade.lockfile, base.lockfiles?.get(upgrade.lockfile));
  const manifest = replay(upgrade.manifest, base.packageJson.get(upgrade.manifest));
  if (!lock || lock.before === null || lock.after === null || !manifest)
    return [refuse(`the patch's hunks do not apply to the base ${upgrade.lockfile} or ${upgrade.manifest}, so its edit cannot be checked`)];
  return judgeUpgradeEdit(upgrade, {
    lockBefore: lock.before,
    lockAfter: lock.after,
    manifestBefore: manifest.before,
    manifestAfter: manifest.after,
  }).map(refuse);
}

function judgeFile(file: FileChange, options: RailsOptions, base: BaseFacts, exempt: DependencyUpgrade | undefined): Refusal[] {
  const refusals: Refusal[] = [];
  const shown = file.newPath ?? file.oldPath ?? '(unnamed)';
  if (file.oldPath === null && file.newPath === null) return [{ rule: 'unparseable', reason: 'a file in the patch has no name' }];

  for (const raw of file.rawPaths) {
    if (raw.startsWith('/') && raw !== '/dev/null') refusals.push({ rule: 'path-absolute', path: raw, reason: `path ${raw} is absolute` });
  }
  for (const path of new Set([file.oldPath, file.newPath])) {
    if (path === null) continue;
    const refusal = checkPath(path, options.protectedPaths);
    // The upgrade's lockfile is judged by the upgrade rule instead (upgradeRefusals).
    if (refusal && !(refusal.rule === 'protected-path' && path === exempt?.lockfile)) refusals.push({ ...refusal, path });
    const through = [...base.symlinks].find((link) => path === link || path.startsWith(`${link}/`));
    if (through && !(path === through && file.kind === 'delete')) {
      refusals.push({ rule: 'through-symlink', path, reason: `path ${path} goes through the symlink ${through}` });
    }
  }

  if (file.newMode === SYMLINK || (file.oldMode === SYMLINK && file.kind !== 'delete')) {
    const target = file.addedLines[0];
    const outside = target !== undefined && leavesTree(file.newPath ?? '', target);
    refusals.push({
      rule: 'symlink',
      path: shown,
      reason: `${shown} would be a symlink${target !== undefined ? ` to ${JSON.stringify(target)}` : ''}${outside ? ', which points outside the repository' : ''}; symlinks are refused`,
    });
  }
  if (file.newMode === GITLINK || file.oldMode === GITLINK) {
    refusals.push({ rule: 'gitlink', path: shown, reason: `${shown} is a submodule (gitlink); submodules are refused` });
  }
  // The base tree's mode, not the patch's `old mode` line, is what the file has before the change.
  const baseMode = file.oldPath !== null ? base.modes?.get(file.oldPath) : undefined;
  const before = baseMode ?? file.oldMode;
  const modeChanged =
    file.kind !== 'delete' &&
    ((before !== undefined && file.newMode !== undefined && before !== file.newMode) ||
      (file.kind === 'add' && file.newMode !== undefined && file.newMode !== REGULAR));
  if (modeChanged && !options.allowModeChanges && file.newMode !== SYMLINK && file.newMode !== GITLINK) {
    refusals.push({
      rule: 'mode-change',
      path: shown,
      reason: `${shown} would get mode ${file.newMode}${before ? ` (was ${before})` : ''}; mode changes are refused`,
    });
  }
  if (baseMode !== undefined && file.oldMode !== undefined && file.oldMode !== baseMode && !modeChanged) {
    refusals.push({
      rule: 'mode-change',
      path: shown,
      reason: `${shown} has mode ${baseMode} in the base tree but the patch says ${file.oldMode}; mode lines must match the base tree`,
    });
  }
  if (file.binary && !options.allowBinary)
    refusals.push({ rule: 'binary', path: shown, reason: `${shown} is a binary change; binary changes are refused` });
  const lines = file.added + file.removed;
  if (lines > options.maxLinesPerFile) {
    refusals.push({
      rule: 'too-many-lines',
      path: shown,
      reason: `${shown} changes ${lines} lines; at most ${options.maxLinesPerFile} per file are allowed`,
    });
  }
  const scripts = scriptsRefusal(file, base);
  if (scripts) refusals.push(scripts);
  return refusals;
}

/** Whether a symlink at `linkPath` with `target` resolves outside the repository root. */
function leavesTree(linkPath: string, target: string): boolean {
  if (target.startsWith('/') || target.startsWith('~')) return true;
  let depth = linkPath.split('/').length - 1;
  for (const segment of target.split('/')) {
    if (segment === '..') depth--;
    else if (segment !== '.' && segment !== '') depth++;
    if (depth < 0) return true;
  }
  return false;
}

/**
 * The test command runs `npm test`, so a package.json script is code we would run: any change to
 * the `scripts` of any package.json (or one we cannot replay to check) is refused.
 */
function scriptsRefusal(file: FileChange, base: BaseFacts): Refusal | null {
  const touched = [file.oldPath, file.newPath].filter((p): p is string => p !== null && /(^|\/)package\.json$/i.test(p));
  if (touched.length === 0) return null;
  const path = touched[touched.length - 1]!;
  const refuse = (why: string): Refusal => ({
    rule: 'package-scripts',
    path,
    reason: `${path}: ${why}; package.json scripts are protected`,
  });
  if (file.binary || file.kind === 'rename' || file.kind === 'copy') return refuse('renamed, copied or binary');
  const before = file.oldPath === null ? '' : base.packageJson.get(file.oldPath);
  if (before === undefined) return refuse('its base content was not available to check');
  const after = file.newPath === null ? '' : applyHunks(before ?? '', file.hunks);
  if (after === null) return refuse('its hunks do not apply to the base file');
  const scriptsBefore = scriptsOf(before ?? '');
  const scriptsAfter = scriptsOf(after);
  if (scriptsBefore === undefined || scriptsAfter === undefined) return refuse('it is not valid JSON before or after the change');
  return scriptsBefore === scriptsAfter ? null : refuse('the change alters its scripts');
}

function scriptsOf(text: string): string | undefined {
  if (text.trim() === '') return 'null';
  try {
    const parsed = JSON.parse(text) as { scripts?: unknown } | null;
    return JSON.stringify(parsed && typeof parsed === 'object' ? (parsed.scripts ?? null) : null);
  } catch {
    return undefined;
  }
}

/** Replays hunks exactly (no fuzz, no offset): null when a context or removed line does not match. */
export function applyHunks(source: string, hunks: readonly Hunk[]): string | null {
  const lines = source === '' ? [] : source.replace(/\n$/, '').split('\n');
  const out: string[] = [];
  let cursor = 0;
  for (const hunk of hunks) {
    const start = hunk.oldLines === 0 ? hunk.oldStart : hunk.oldStart - 1;
    if (start < cursor || start > lines.length) return null;
    out.push(...lines.slice(cursor, start));
    cursor = start;
    for (const line of hunk.lines) {
      if (line.startsWith('\\')) continue;
      const text = line.slice(1);
      if (line.startsWith('+')) out.push(text);
      else {
        if (lines[cursor] !== text) return null;
        if (!line.startsWith('-')) out.push(text);
        cursor++;
      }
    }
  }
  out.push(...lines.slice(cursor));
  return out.length ? `${out.join('\n')}\n` : '';
}

/** The package.json paths a patch touches (and an upgrade's manifest), so the caller knows which base contents to read. */
export function packageJsonPaths(parsed: ParsedPatch, upgrade?: DependencyUpgrade): string[] {
  const touched = parsed.files.map((f) => f.oldPath).filter((p): p is string => p !== null && /(^|\/)package\.json$/i.test(p));
  return [...new Set([...touched, ...(upgrade ? [upgrade.manifest] : [])])];
}

/** One line per refusal, for the proposal's failure reason and the trial summary. */
export function describeRefusals(refusals: readonly Refusal[]): string {
  return refusals.map((r) => r.reason).join('; ');
}
