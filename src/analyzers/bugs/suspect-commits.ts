import type { CommitInfo, RepositoryReader } from '../../ports/repository.ts';

/**
 * Which commits most likely introduced an error group: commits before its first occurrence that
 * touched the files of its top in-app frames, scored by
 *   score = Σ over frames f  weight(f) × (BLAME × [c last changed f's line] + TOUCH × [c changed f's file])
 *           × recency(c) × size(c)
 * weight(f) = 1 / (depth + 1), so the top frame counts most;
 * recency(c) = 2^(−age / half-life), age = time from c to the first occurrence, half-life 7 days by
 *   default: deploys follow merges by hours to days, and an error that took weeks to show up after
 *   a change is less likely that change's doing;
 * size(c) = 1 + log10(1 + lines c changed in the frames' files) / 3: bigger changes break more, but a
 *   1000-line refactor only doubles its weight.
 * A commit after the first occurrence is never a suspect.
 */

export interface SuspectFrame {
  /** As in the stack trace: absolute (/srv/app/src/orders/format.js) or repository-relative. */
  file: string;
  line: number;
  function?: string;
}

export interface ErrorGroupSuspectInput {
  /** The group's top in-app frames, top first (see topInAppFrames). */
  frames: SuspectFrame[];
  firstSeen: Date;
}

export interface SuspectSettings {
  /** Half-life of the recency factor, in days. Default 7. */
  halfLifeDays?: number;
  /** Frames considered, from the top. Default 5. */
  maxFrames?: number;
  /** Candidates are commits from this many days before the first occurrence. Default 90. */
  lookbackDays?: number;
  /** At most this many candidate commits are read from history. Default 100. */
  maxCandidates?: number;
  /** isNewSinceCommit: a commit this many days before the first occurrence still counts. Default 7. */
  newSinceWindowDays?: number;
}

export interface MappedFrame extends SuspectFrame {
  depth: number;
  repoFile: string;
}

export interface SuspectCommit {
  sha: string;
  subject: string;
  author: string;
  date: Date;
  score: number;
  /** Sentences a person reads, strongest first. */
  reasons: string[];
  /** Frames whose line this commit changed last. */
  blamedFrames: { file: string; line: number; depth: number }[];
  /** Frame files this commit changed. */
  touchedFiles: string[];
  /** Lines added + deleted in the frame files. */
  linesChanged: number;
  hoursBeforeFirstSeen: number;
}

export interface SuspectRanking {
  suspects: SuspectCommit[];
  frames: MappedFrame[];
  /** Frames that match no file of the repository (generated code, another service...). */
  unmappedFrames: SuspectFrame[];
}

const BLAME = 3;
const TOUCH = 1;
const HOUR = 3600_000;
const DAY = 24 * HOUR;

export async function rankSuspectCommits(
  group: ErrorGroupSuspectInput,
  repo: RepositoryReader,
  settings: SuspectSettings = {},
): Promise<SuspectRanking> {
  const { frames, unmappedFrames } = mapFrames(group.frames.slice(0, settings.maxFrames ?? 5), await repo.listFiles());
  if (frames.length === 0) return { suspects: [], frames, unmappedFrames };
  const files = [...new Set(frames.map((f) => f.repoFile))];
  const before = group.firstSeen;
  const since = new Date(before.getTime() - (settings.lookbackDays ?? 90) * DAY);
  const candidates = new Map<string, CommitInfo>();
  for (const commit of await repo.commitsTouching(files, { before, since, limit: settings.maxCandidates ?? 100 })) {
    candidates.set(commit.sha, commit);
  }

  const blamedBy = new Map<string, MappedFrame[]>();
  for (const file of files) {
    // Blame the file as it was when the error first happened: at the newest commit before then.
    const last = [...candidates.values()].find((c) => touches(c, file)) ?? (await repo.commitsTouching([file], { before, limit: 1 }))[0];
    if (!last) continue;
    const fileFrames = frames.filter((f) => f.repoFile === file);
    const blamed = await repo.blame(
      file,
      fileFrames.map((f) => f.line),
      { at: last.sha },
    );
    for (const line of blamed) {
      for (const frame of fileFrames.filter((f) => f.line === line.line)) {
        blamedBy.set(line.sha, [...(blamedBy.get(line.sha) ?? []), frame]);
      }
      if (!candidates.has(line.sha)) {
        // Older than the lookback: fetch that one commit, under the name the file had then.
        const older = await repo.commitsTouching([line.path || file], {
          before: new Date(line.date.getTime() + 1000),
          since: line.date,
          limit: 20,
        });
        const found = older.find((c) => c.sha === line.sha);
        if (found) candidates.set(found.sha, found);
      }
    }
  }

  const halfLife = (settings.halfLifeDays ?? 7) * DAY;
  const suspects = [...candidates.values()]
    .filter((commit) => commit.date < before)
    .map((commit) => scoreCommit(commit, frames, blamedBy.get(commit.sha) ?? [], before, halfLife))
    .filter((suspect) => suspect.score > 0)
    .sort((a, b) => b.score - a.score || b.date.getTime() - a.date.getTime());
  return { suspects, frames, unmappedFrames };
}

/** True when a commit changed the group's top frame's file within the window before its first occurrence. */
export async function isNewSinceCommit(
  group: ErrorGroupSuspectInput,
  repo: RepositoryReader,
  settings: SuspectSettings = {},
): Promise<boolean> {
  const top = group.frames[0];
  if (!top) return false;
  const file = mapToRepoFile(top.file, await repo.listFiles());
  if (!file) return false;
  const since = new Date(group.firstSeen.getTime() - (settings.newSinceWindowDays ?? 7) * DAY);
  return (await repo.commitsTouching([file], { before: group.firstSeen, since, limit: 1 })).length > 0;
}

function scoreCommit(commit: CommitInfo, frames: MappedFrame[], blamed: MappedFrame[], firstSeen: Date, halfLife: number): SuspectCommit {
  const ageMs = firstSeen.getTime() - commit.date.getTime();
  const when = `${describeDuration(ageMs)} before the first occurrence`;
  const touchedFrames = frames.filter((f) => touches(commit, f.repoFile));
  const touchedFiles = [...new Set(touchedFrames.map((f) => f.repoFile))];
  const changes = commit.files.filter((change) => touchedFiles.some((file) => change.path === file || change.previousPath === file));
  const linesChanged = changes.reduce((sum, change) => sum + change.added + change.deleted, 0);

  const signal =
    blamed.reduce((sum, f) => sum + BLAME / (f.depth + 1), 0) + touchedFrames.reduce((sum, f) => sum + TOUCH / (f.depth + 1), 0);
  const recency = 2 ** (-Math.max(0, ageMs) / halfLife);
  const size = 1 + Math.log10(1 + linesChanged) / 3;

  const reasons = [
    ...blamed.map((f) => `last changed line ${f.line} of ${f.repoFile} ${when}`),
    ...changes.map((c) => `changed ${c.path} (+${c.added} −${c.deleted}) ${when}`),
  ];
  return {
    sha: commit.sha,
    subject: commit.subject,
    author: commit.author,
    date: commit.date,
    score: Number((signal * recency * size).toFixed(4)),
    reasons,
    blamedFrames: blamed.map((f) => ({ file: f.repoFile, line: f.line, depth: f.depth })),
    touchedFiles,
    linesChanged,
    hoursBeforeFirstSeen: Math.round((ageMs / HOUR) * 10) / 10,
  };
}

function touches(commit: CommitInfo, file: string): boolean {
  return commit.files.some((change) => change.path === file || change.previousPath === file);
}

function mapFrames(frames: SuspectFrame[], repoFiles: string[]): { frames: MappedFrame[]; unmappedFrames: SuspectFrame[] } {
  const mapped: MappedFrame[] = [];
  const unmappedFrames: SuspectFrame[] = [];
  frames.forEach((frame, depth) => {
    const repoFile = mapToRepoFile(frame.file, repoFiles);
    if (repoFile) mapped.push({ ...frame, depth, repoFile });
    else unmappedFrames.push(frame);
  });
  return { frames: mapped, unmappedFrames };
}

/**
 * The repository file a path from another machine names (a stack frame's /srv/app/src/orders/format.js,
 * a coverage report's /home/ci/build/src/x.js): the file sharing the longest run of trailing path
 * segments with it. null when no file shares even the file name, or when two files tie for the
 * longest run (guessing between src/index.js and lib/index.js would point a person at the wrong file).
 */
export function mapToRepoFile(path: string, repoFiles: string[]): string | null {
  const wanted = splitPath(path);
  const name = wanted[wanted.length - 1];
  if (!name) return null;
  let best: string | null = null;
  let bestLength = 0;
  let tied = false;
  for (const file of repoFiles) {
    const segments = splitPath(file);
    if (segments[segments.length - 1] !== name) continue;
    let length = 0;
    while (
      length < segments.length &&
      length < wanted.length &&
      segments[segments.length - 1 - length] === wanted[wanted.length - 1 - length]
    )
      length++;
    if (length > bestLength) [best, bestLength, tied] = [file, length, false];
    else if (length === bestLength) tied = true;
  }
  return tied ? null : best;
}

function splitPath(path: string): string[] {
  const plain = path.startsWith('file://') ? decodeURIComponent(path.slice('file://'.length)) : path;
  return plain
    .replaceAll('\\', '/')
    .split('/')
    .filter((s) => s !== '' && s !== '.');
}

function describeDuration(ms: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (ms < HOUR) return plural(Math.max(1, Math.round(ms / 60_000)), 'minute');
  if (ms < DAY) return plural(Math.round(ms / HOUR), 'hour');
  return plural(Math.round(ms / DAY), 'day');
}
