import type { Finding } from '../../domain/finding.ts';
import type { EvidenceItem, EvidenceSeries, Priority } from '../../domain/proposal.ts';
import type { Analyzer, AnalysisContext } from '../../ports/analyzer.ts';
import type { RepositoryReader } from '../../ports/repository.ts';
import type { ErrorMessageCount, TelemetryWarehouse } from '../../ports/warehouse.ts';
import { LineGrouping } from '../errors/final-groups.ts';
import { errorGroupKey } from '../errors/group-key.ts';
import { topInAppFrames, type StackFrame } from '../errors/stack-frames.ts';
import { dailyGroupCounts, messageKey } from './daily-counts.ts';
import { isNewSinceCommit, mapToRepoFile, rankSuspectCommits, type SuspectCommit } from './suspect-commits.ts';

export interface BugAnalyzerDeps {
  warehouse: TelemetryWarehouse;
  /** The target repository: suspect commits come from its history. */
  repo?: RepositoryReader;
  settings: { minErrorsForBugReport: number };
  /** Where the service's code lives in stack traces (e.g. /srv/app), so frames become repo paths. */
  appRoots?: string[];
  /** Distinct messages fetched per window; the warehouse counts identical messages itself. */
  textCap?: number;
  /** Days before the cycle's window that tell a new group from an old one. */
  lookbackDays?: number;
}

export const DEFAULT_ERROR_TEXT_CAP = 20_000;
const DAY = 24 * 3600 * 1000;
/** Days of daily counts a bug's chart shows, ending with the cycle's window. */
const SERIES_DAYS = 14;

interface ErrorGroup {
  key: string;
  template: string;
  frames: StackFrame[];
  now: number;
  before: number;
  firstSeen: Date;
  lastSeen: Date;
  endpoints: Map<string, number>;
  example: string;
}

/**
 * Groups the window's errors into templates (identical messages counted in the warehouse, templates
 * mined in Node), keyed by template and top in-app frame; a group with at least minErrorsForBugReport
 * occurrences in the window becomes a finding with its counts, first and last seen, trend against
 * the lookback, endpoints, and the commits that most likely introduced it.
 */
export function createBugAnalyzer(deps: BugAnalyzerDeps): Analyzer {
  const cap = deps.textCap ?? DEFAULT_ERROR_TEXT_CAP;
  const lookbackDays = deps.lookbackDays ?? 30;

  async function groups(context: AnalysisContext) {
    const lookback = { from: new Date(context.window.from.getTime() - lookbackDays * DAY), to: context.window.from };
    const [current, earlier] = await Promise.all([
      deps.warehouse.errorMessages(context.window, cap),
      deps.warehouse.errorMessages(lookback, cap),
    ]);
    const rows: { row: ErrorMessageCount; inWindow: boolean }[] = [
      ...current.rows.map((row) => ({ row, inWindow: true })),
      ...earlier.rows.map((row) => ({ row, inWindow: false })),
    ];
    // Mine both windows together so one error gets one template whichever window it appears in.
    const grouping = new LineGrouping();
    for (const { row } of rows) grouping.add(row.message);
    const { groupOfEach } = grouping.finish();
    const toRepoPath = await repoPathMapper(deps.repo);
    const byKey = new Map<string, ErrorGroup>();
    const groupOfMessage = new Map<string, string>();
    rows.forEach(({ row, inWindow }, i) => {
      const template = groupOfEach[i]!.template;
      const frames = topInAppFrames(row.stack ?? '', { appRoots: deps.appRoots ?? [], limit: 5 }).map((f) => ({
        ...f,
        file: toRepoPath(f.file),
      }));
      const key = errorGroupKey(template, frames);
      groupOfMessage.set(messageKey(row), key);
      const group = byKey.get(key) ?? {
        key,
        template,
        frames,
        now: 0,
        before: 0,
        firstSeen: row.firstSeen,
        lastSeen: row.lastSeen,
        endpoints: new Map(),
        example: row.message,
      };
      if (inWindow) group.now += row.count;
      else group.before += row.count;
      if (row.firstSeen < group.firstSeen) group.firstSeen = row.firstSeen;
      if (row.lastSeen > group.lastSeen) group.lastSeen = row.lastSeen;
      if (inWindow && row.endpoint) group.endpoints.set(row.endpoint, (group.endpoints.get(row.endpoint) ?? 0) + row.count);
      byKey.set(key, group);
    });
    return {
      groups: [...byKey.values()],
      current,
      groupOfMessage,
      lookbackDays: (lookback.to.getTime() - lookback.from.getTime()) / DAY,
    };
  }

  async function toFinding(
    group: ErrorGroup,
    windowDays: number,
    capNote: EvidenceItem | null,
    daily: EvidenceSeries['points'] | undefined,
  ): Promise<Finding> {
    const trend = trendOf(group.now / windowDays, group.before / lookbackDays, group.before === 0);
    const endpoints = [...group.endpoints].sort((a, b) => b[1] - a[1]);
    const top = group.frames[0];
    let suspects: SuspectCommit[] = [];
    let newSinceCommit = false;
    let files: string[] = [];
    if (deps.repo && group.frames.length) {
      const input = { frames: group.frames, firstSeen: group.firstSeen };
      const ranking = await rankSuspectCommits(input, deps.repo);
      suspects = ranking.suspects.slice(0, 3);
      files = [...new Set(ranking.frames.map((f) => f.repoFile))];
      newSinceCommit = await isNewSinceCommit(input, deps.repo);
    }
    const evidence: EvidenceItem[] = [
      { label: 'occurrences', value: group.now },
      { label: `occurrences in the ${lookbackDays} days before`, value: group.before },
      { label: 'trend', value: trend },
      { label: 'first seen', value: group.firstSeen.toISOString() },
      { label: 'last seen', value: group.lastSeen.toISOString() },
      ...(endpoints.length
        ? [
            {
              label: 'endpoints',
              value: endpoints
                .slice(0, 3)
                .map(([e, n]) => `${e} (${n})`)
                .join(', '),
            },
          ]
        : []),
      { label: 'example', value: truncate(group.example, 300) },
      ...(top ? [{ label: 'thrown at', value: `${top.file}:${top.line} in ${top.function}` }] : []),
      ...suspects.slice(0, 1).map((s) => ({
        label: 'suspect commit',
        value: `${s.sha.slice(0, 10)} ${s.subject} (${s.author}, ${s.date.toISOString().slice(0, 10)})`,
      })),
      ...(newSinceCommit ? [{ label: 'new since a commit', value: 'yes' }] : []),
      ...(capNote ? [capNote] : []),
    ];
    return {
      analyzer: 'bugs',
      type: 'bug_fix',
      fingerprint: `bug:${group.key}`,
      title: `Fix: ${truncate(group.template, 100)}${top ? ` in ${top.file}` : ''}`,
      summary: `${group.now} occurrences of "${truncate(group.template, 200)}" (${trend})${top ? `, thrown at ${top.file}:${top.line}` : ''}${suspects[0] ? `; most likely introduced by ${suspects[0].sha.slice(0, 10)} "${suspects[0].subject}"` : ''}.`,
      evidence,
      priority: bugPriority(group.now / windowDays, deps.settings.minErrorsForBugReport, trend),
      // Per day, so a daily and a weekly cycle measure one bug on the same scale.
      magnitude: Math.round((group.now / windowDays) * 100) / 100,
      subject: { ...(endpoints[0] ? { endpoint: endpoints[0][0] } : {}), ...(files.length ? { files } : {}) },
      ...(daily ? { series: { kind: 'bars', label: 'occurrences per day', unit: 'errors', bucket: 'day', points: daily } } : {}),
      details: {
        template: group.template,
        example: group.example,
        frames: group.frames,
        suspects: suspects.map((s) => ({
          sha: s.sha,
          subject: s.subject,
          author: s.author,
          date: s.date.toISOString(),
          score: s.score,
          reasons: s.reasons,
        })),
        newSinceCommit,
      },
    };
  }

  return {
    name: 'bugs',
    cycles: ['daily', 'weekly'],
    async analyze(context) {
      const { groups: all, current, groupOfMessage } = await groups(context);
      const windowDays = Math.max(1 / 24, (context.window.to.getTime() - context.window.from.getTime()) / DAY);
      const capNote = current.capped ? { label: 'distinct messages analyzed', value: `${current.cap} of ${current.total} (capped)` } : null;
      const reported = all
        .filter((g) => g.now >= deps.settings.minErrorsForBugReport)
        .sort((a, b) => b.now - a.now || a.key.localeCompare(b.key));
      const daily = reported.length
        ? await dailyGroupCounts({
            warehouse: deps.warehouse,
            end: context.window.to,
            days: SERIES_DAYS,
            cap,
            groupOf: (key) => groupOfMessage.get(key),
            groups: reported.map((g) => g.key),
          })
        : new Map<string, EvidenceSeries['points']>();
      const findings: Finding[] = [];
      for (const group of reported) findings.push(await toFinding(group, windowDays, capNote, daily.get(group.key)));
      return findings;
    },
  };
}

/**
 * Frame path → repository path, as error trackers do: the TARGET_REPO file sharing the longest path
 * suffix (/srv/app/src/cart/pricing.js → src/cart/pricing.js), so titles, evidence and blame name a
 * file a person can open, with or without APP_ROOTS. A path matching no file (or two equally) stays.
 */
async function repoPathMapper(repo: RepositoryReader | undefined): Promise<(file: string) => string> {
  if (!repo) return (file) => file;
  const files = await repo.listFiles();
  const cache = new Map<string, string>();
  return (file) => {
    let mapped = cache.get(file);
    if (mapped === undefined) cache.set(file, (mapped = mapToRepoFile(file, files) ?? file));
    return mapped;
  };
}

export type ErrorTrend = 'new' | 'rising' | 'steady' | 'falling';

function trendOf(ratePerDayNow: number, ratePerDayBefore: number, neverBefore: boolean): ErrorTrend {
  if (neverBefore) return 'new';
  if (ratePerDayNow > 1.5 * ratePerDayBefore) return 'rising';
  if (ratePerDayNow < ratePerDayBefore / 1.5) return 'falling';
  return 'steady';
}

/** From the daily rate, so the priority does not flip with the length of the cycle's window. */
function bugPriority(perDay: number, threshold: number, trend: ErrorTrend): Priority {
  if (perDay >= 10 * threshold) return 'critical';
  if (trend === 'new' || trend === 'rising' || perDay >= 2 * threshold) return 'high';
  return trend === 'falling' ? 'low' : 'medium';
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
