import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANSI_ESCAPE, BIN, type Run } from './binary.ts';

/**
 * The text analyzers run as a person runs them: the real binary in a child process, fed on stdin
 * or with --input, with DATA_DIR pointing at a directory that does not exist and must not appear.
 */

// CRLF endings, a blank and a whitespace-only line in the middle, UTF-8, and a trailing newline.
// "Connection to … lost" generalizes on its second line, after the first already had an id.
const ERROR_LOG =
  [
    'Connection to db-primary lost after 3 retries',
    '',
    'user 42 not found in tenant Zürich',
    'Connection to cache-replica lost after 5 retries',
    '   ',
    'user 97 not found in tenant Zürich',
    'Payment declined: 🚫 card expired',
    'Connection to search lost after 1 retries',
  ].join('\r\n') + '\r\n';
const NON_BLANK_LINE_NUMBERS = [1, 3, 4, 6, 7, 8];

const REQUESTS = [
  'Please add dark mode',
  'The app crashes when I upload a photo',
  'It would be great to have a dark theme for the dashboard',
  '',
  'Could you add export to CSV?',
  'we need the ability to export reports as csv',
  'thanks, all good now',
].join('\n');

// Two kinds of question and no request phrasing among them: --all clusters them anyway.
const ALL_LINES = [
  'how do i change the oil in my car',
  'when should i change the oil in my car',
  'how often should my car get an oil change',
  'what is my bank balance',
  'show me my bank balance',
  'tell me my bank balance',
].join('\n');

// Twenty days around 300 ms, then twenty around 900 ms.
const STEP = [...Array.from({ length: 20 }, (_, i) => 300 + (i % 3)), ...Array.from({ length: 20 }, (_, i) => 900 + (i % 4))];
// Short final segments: the last five of fourteen points, and the last four of thirty days at 5x.
const SHORT_TAIL = [400, 410, 395, 405, 420, 398, 402, 415, 407, 2200, 2250, 2180, 2210, 2230];
const LAST_FOUR = [
  300, 320, 310, 308, 318, 280, 280, 320, 318, 290, 307, 280, 295, 280, 304, 286, 320, 319, 283, 282, 320, 318, 294, 314, 283, 312, 1488,
  1520, 1514, 1495,
];
const TIMED_STEP = STEP.map((value, i) => ({ t: new Date(Date.UTC(2024, 0, 1 + i)).toISOString(), value }));

interface Case {
  args: string[];
  stdin?: string;
  env?: Record<string, string>;
}

describe('the text analyzer commands', () => {
  let root: string;
  let dataDir: string;
  const runs: Record<string, Run> = {};

  // One child process per case, all started at once: each pays tsx's start-up, not each other's.
  // Many child processes start at once; on a loaded 2-core CI machine that can take a while.
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'improvement-loop-analyze-'));
    dataDir = path.join(root, 'never-created');
    const file = async (name: string, content: string | Buffer) => {
      await writeFile(path.join(root, name), content);
      return path.join(root, name);
    };
    const errors = await file('errors.txt', ERROR_LOG);
    const longLine = await file('long.txt', `Disk full on ${'x'.repeat(200_000)}\nDisk full on volume7\n`);
    const requests = await file('requests.txt', REQUESTS);
    const step = await file('step.json', JSON.stringify(STEP));
    const cases: Record<string, Case> = {
      groupStdin: { args: ['group-errors', '--json'], stdin: ERROR_LOG },
      groupFile: { args: ['group-errors', '--json', '--input', errors] },
      groupSummary: { args: ['group-errors', '--input', errors] },
      groupLong: { args: ['group-errors', '--json', '--input', longLine] },
      groupEmpty: { args: ['group-errors', '--json'], stdin: '' },
      groupMissing: { args: ['group-errors', '--input', path.join(root, 'missing.txt')] },
      groupBadThreshold: { args: ['group-errors', '--threshold', '1.5'], stdin: ERROR_LOG },
      groupBadLogLevel: { args: ['group-errors'], stdin: ERROR_LOG, env: { LOG_LEVEL: 'loud' } },
      // Settings these commands do not use must not stop them.
      groupOtherConfigWrong: { args: ['group-errors', '--json'], stdin: ERROR_LOG, env: { PORT: 'not a port' } },
      requestsJson: { args: ['cluster-requests', '--json', '--input', requests] },
      requestsSummary: { args: ['cluster-requests'], stdin: REQUESTS },
      requestsAll: { args: ['cluster-requests', '--all', '--json'], stdin: ALL_LINES },
      requestsAllSummary: { args: ['cluster-requests', '--all'], stdin: ALL_LINES },
      changesJson: { args: ['changepoints', '--json', '--input', step] },
      changesTimed: { args: ['changepoints', '--json'], stdin: JSON.stringify(TIMED_STEP) },
      changesSummary: { args: ['changepoints'], stdin: JSON.stringify(STEP) },
      changesShortTail: { args: ['changepoints', '--json'], stdin: JSON.stringify(SHORT_TAIL) },
      changesLastFour: { args: ['changepoints', '--json'], stdin: JSON.stringify(LAST_FOUR) },
      changesBadJson: { args: ['changepoints'], stdin: '[300, 310,' },
      changesNotSeries: { args: ['changepoints'], stdin: '[300, "fast"]' },
    };
    const settled = await Promise.all(
      Object.entries(cases).map(async ([name, c]) => [name, await runWithStdin(c, root, dataDir)] as const),
    );
    for (const [name, result] of settled) runs[name] = result;
  }, 120_000);
  afterAll(() => rm(root, { recursive: true, force: true }));

  const run = (name: string): Run => runs[name]!;
  const jsonLines = (name: string) =>
    run(name)
      .stdout.trimEnd()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  it('prints one JSON object per non-blank input line, numbered as in the input', () => {
    expect(run('groupStdin')).toMatchObject({ code: 0, stderr: '' });
    const results = jsonLines('groupStdin');
    expect(results).toHaveLength(NON_BLANK_LINE_NUMBERS.length);
    expect(results.map((r) => r.line)).toEqual(NON_BLANK_LINE_NUMBERS);
  });

  it('gives every line of one template the final group and template, even lines mined before it generalized', () => {
    const byLine = new Map(jsonLines('groupStdin').map((r) => [r.line, r]));
    const connection = [1, 4, 8].map((n) => byLine.get(n)!);
    expect(new Set(connection.map((r) => r.group)).size).toBe(1);
    expect(connection[0]!.template).toBe('Connection to <*> lost after <NUM> retries');
    expect(byLine.get(3)!.group).toBe(byLine.get(6)!.group);
    expect(byLine.get(3)!.template).toBe('user <NUM> not found in tenant Zürich');
    expect(byLine.get(7)!.group).not.toBe(byLine.get(1)!.group);
  });

  it('reads a file given with --input exactly as it reads standard input', () => {
    expect(run('groupFile').code).toBe(0);
    expect(run('groupFile').stdout).toBe(run('groupStdin').stdout);
  });

  it('summarizes the groups largest first, without color into a pipe', () => {
    const { code, stdout } = run('groupSummary');
    expect(code).toBe(0);
    expect(stdout).not.toMatch(ANSI_ESCAPE);
    expect(stdout).toMatch(/^6 lines in 3 groups\n/);
    const rows = stdout.split('\n').slice(2).filter(Boolean);
    expect(rows[0]).toMatch(/^3 +[0-9a-f]{12} +Connection to <\*> lost after <NUM> retries$/);
    expect(rows[1]).toMatch(/^2 .*user <NUM> not found/);
    expect(rows[2]).toMatch(/^1 .*Payment declined: 🚫 card expired$/);
  });

  it('groups a 200 000-character line without trouble', () => {
    expect(run('groupLong').code).toBe(0);
    expect(jsonLines('groupLong').map((r) => r.line)).toEqual([1, 2]);
  });

  it('prints nothing and succeeds on empty input', () => {
    expect(run('groupEmpty')).toMatchObject({ code: 0, stdout: '', stderr: '' });
  });

  it('exits 1 naming the file when --input does not exist', () => {
    expect(run('groupMissing').code).toBe(1);
    expect(run('groupMissing').stderr).toMatch(/no such file.*missing\.txt/);
    expect(run('groupMissing').stdout).toBe('');
  });

  it('exits 2 on a threshold outside 0 to 1 and on a LOG_LEVEL that does not exist', () => {
    expect(run('groupBadThreshold').code).toBe(2);
    expect(run('groupBadThreshold').stderr).toMatch(/from 0 to 1/);
    expect(run('groupBadLogLevel').code).toBe(2);
    expect(run('groupBadLogLevel').stderr).toMatch(/LOG_LEVEL/);
  });

  it('ignores every setting but LOG_LEVEL', () => {
    expect(run('groupOtherConfigWrong').code).toBe(0);
    expect(run('groupOtherConfigWrong').stdout).toBe(run('groupStdin').stdout);
  });

  it('marks the feature requests among messages and puts requests for the same thing in one theme', () => {
    expect(run('requestsJson').code).toBe(0);
    const results = jsonLines('requestsJson');
    expect(results.map((r) => r.line)).toEqual([1, 2, 3, 5, 6, 7]);
    expect(results.map((r) => r.isFeatureRequest)).toEqual([true, false, true, true, true, false]);
    const [darkMode, crash, darkTheme, csv, csvReports, thanks] = results;
    expect(darkMode!.theme).toBe(darkTheme!.theme);
    expect(csv!.theme).toBe(csvReports!.theme);
    expect(csv!.theme).not.toBe(darkMode!.theme);
    expect(darkMode!.themeLabel).toMatch(/dark/);
    expect(crash).toMatchObject({ theme: null, themeLabel: null });
    expect(thanks).toMatchObject({ theme: null, themeLabel: null });
  });

  it('lists the themes with their counts and quotes', () => {
    const { code, stdout } = run('requestsSummary');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^6 messages, 4 feature requests in 2 themes\n/);
    expect(stdout).toMatch(/“Please add dark mode”/);
    expect(stdout).toMatch(/2 requests, theme [0-9a-f]{12}/);
  });

  it('with --all clusters every line, request or not, into themes whose number it finds itself', () => {
    expect(run('requestsAll').code).toBe(0);
    const results = jsonLines('requestsAll');
    expect(results.map((r) => r.line)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(results.every((r) => typeof r.theme === 'string' && String(r.themeLabel).length > 0)).toBe(true);
    expect(results[0]).not.toHaveProperty('isFeatureRequest');
    const themes = results.map((r) => r.theme);
    expect(new Set(themes.slice(0, 3)).size).toBe(1);
    expect(new Set(themes.slice(3)).size).toBe(1);
    expect(themes[0]).not.toBe(themes[3]);
    expect(run('requestsAllSummary').stdout).toMatch(/^6 lines in 2 themes\n/);
  });

  it('finds the one level shift in a series of numbers, with its magnitude', () => {
    expect(run('changesJson').code).toBe(0);
    const [change, ...rest] = jsonLines('changesJson');
    expect(rest).toEqual([]);
    expect(change).toMatchObject({ index: 20, t: null, before: 301 });
    expect(change!.magnitude).toBeCloseTo(600, -1);
  });

  it('reports the time of the shift in a series of {t, value} points', () => {
    expect(run('changesTimed').code).toBe(0);
    expect(jsonLines('changesTimed')).toEqual([expect.objectContaining({ index: 20, t: '2024-01-21T00:00:00.000Z' })]);
    expect(run('changesSummary').stdout).toMatch(/^40 points: 1 change point\n/);
    expect(run('changesSummary').stdout).toMatch(/index 20 +301 +901\.5 +\+600\.5/);
  });

  it('finds a shift in only the last few points of a series', () => {
    expect(jsonLines('changesShortTail')).toEqual([expect.objectContaining({ index: 9, before: 405, after: 2210 })]);
    expect(jsonLines('changesLastFour')).toEqual([expect.objectContaining({ index: 26, before: 305.5, after: 1504.5 })]);
  });

  it('exits 2 with a clear message when the series is not JSON or not a series', () => {
    expect(run('changesBadJson').code).toBe(2);
    expect(run('changesBadJson').stderr).toMatch(/not valid JSON/);
    expect(run('changesBadJson').stdout).toBe('');
    expect(run('changesNotSeries').code).toBe(2);
    expect(run('changesNotSeries').stderr).toMatch(/element 1 is not a number/);
  });

  it('never creates DATA_DIR', () => {
    expect(Object.keys(runs)).toHaveLength(20);
    expect(existsSync(dataDir)).toBe(false);
  });
});

/** The binary with a clean environment (PATH, HOME, DATA_DIR and the case's own), stdin piped and closed. */
function runWithStdin(c: Case, cwd: string, dataDir: string): Promise<Run> {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? os.tmpdir(), DATA_DIR: dataDir, ...c.env };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...c.args], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'], timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    // A command that fails before reading closes its stdin; that EPIPE is not the test's concern.
    child.stdin.on('error', () => {});
    child.stdin.end(c.stdin ?? '');
  });
}
