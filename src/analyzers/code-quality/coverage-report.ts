import { lstat, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { mapToRepoFile } from '../bugs/suspect-commits.ts';

/**
 * The target repository's last line-coverage report, when its test run left one: istanbul/c8's
 * `coverage/coverage-summary.json` (json-summary reporter), else `coverage/lcov.info`. Reports live in
 * the working tree, untracked, so they are read from disk; paths in them are usually absolute on the
 * machine that ran the tests and are mapped back to repository files.
 */

export interface FileCoverage {
  file: string;
  linesTotal: number;
  linesCovered: number;
  /** 0–100. */
  pct: number;
}

export interface CoverageReport {
  source: string;
  modifiedAt: Date;
  files: FileCoverage[];
}

const CANDIDATES = ['coverage/coverage-summary.json', 'coverage/lcov.info'];
/** A report bigger than this is not a coverage report we can use. */
const MAX_BYTES = 64 * 1024 * 1024;

export async function readCoverageReport(repoDir: string, repoFiles: string[]): Promise<CoverageReport | null> {
  const root = await realpath(repoDir);
  for (const source of CANDIDATES) {
    const full = path.join(repoDir, source);
    const stat = await lstat(full).catch(() => undefined);
    // A symlink (of the file or of coverage/) could point anywhere on this machine; a real report is a plain file inside the repository.
    if (!stat?.isFile() || stat.size > MAX_BYTES) continue;
    if (!(await realpath(full)).startsWith(root + path.sep)) continue;
    const text = await readFile(full, 'utf8');
    const raw = source.endsWith('.json') ? parseCoverageSummary(text) : parseLcov(text);
    const files = mapCoverageFiles(raw, repoDir, repoFiles);
    return { source, modifiedAt: stat.mtime, files };
  }
  return null;
}

type RawCoverage = { path: string; linesTotal: number; linesCovered: number }[];

export function parseCoverageSummary(text: string): RawCoverage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  if (!parsed || typeof parsed !== 'object') return [];
  const entries: RawCoverage = [];
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (key === 'total') continue;
    const lines = (value as { lines?: { total?: unknown; covered?: unknown } } | null)?.lines;
    if (typeof lines?.total === 'number' && typeof lines.covered === 'number') {
      entries.push({ path: key, linesTotal: lines.total, linesCovered: lines.covered });
    }
  }
  return entries;
}

/** lcov: `SF:<path>` opens a file, `LF:`/`LH:` give lines found/hit, `DA:<line>,<hits>` each line, `end_of_record` closes it. */
export function parseLcov(text: string): RawCoverage {
  const entries: RawCoverage = [];
  let current: { path: string; found?: number; hit?: number; da: number; daHit: number } | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line.startsWith('SF:')) current = { path: line.slice(3).trim(), da: 0, daHit: 0 };
    else if (!current) continue;
    else if (line.startsWith('LF:')) current.found = Number(line.slice(3));
    else if (line.startsWith('LH:')) current.hit = Number(line.slice(3));
    else if (line.startsWith('DA:')) {
      current.da += 1;
      if (Number(line.slice(3).split(',')[1]) > 0) current.daHit += 1;
    } else if (line.trim() === 'end_of_record') {
      entries.push({ path: current.path, linesTotal: current.found ?? current.da, linesCovered: current.hit ?? current.daHit });
      current = undefined;
    }
  }
  return entries;
}

function mapCoverageFiles(raw: RawCoverage, repoDir: string, repoFiles: string[]): FileCoverage[] {
  const tracked = new Set(repoFiles);
  const root = `${path.resolve(repoDir).replaceAll('\\', '/')}/`;
  const mapped: FileCoverage[] = [];
  for (const entry of raw) {
    const slashed = entry.path.replaceAll('\\', '/');
    const relative = slashed.startsWith(root) ? slashed.slice(root.length) : slashed.replace(/^\.\//, '');
    const file = tracked.has(relative) ? relative : mapToRepoFile(slashed, repoFiles);
    if (!file || entry.linesTotal <= 0) continue;
    mapped.push({
      file,
      linesTotal: entry.linesTotal,
      linesCovered: Math.min(entry.linesCovered, entry.linesTotal),
      pct: Math.round((1000 * entry.linesCovered) / entry.linesTotal) / 10,
    });
  }
  return mapped;
}
