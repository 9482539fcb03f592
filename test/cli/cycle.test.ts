import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CycleReport } from '../../src/cycle/run-cycle.ts';
import { ANSI_ESCAPE, makeDataDir, runBinary, SEED_SCRIPT, snapshotDir } from './binary.ts';

type CycleJson = CycleReport & { reportFiles: { json: string; markdown: string } | null };

describe('improvement-loop cycle', () => {
  let dirs: Awaited<ReturnType<typeof makeDataDir>>;
  const run = (args: string[], executable?: string) =>
    runBinary(args, { dataDir: dirs.dataDir, cwd: dirs.cwd, ...(executable ? { executable } : {}) });

  beforeAll(async () => {
    dirs = await makeDataDir();
    // The first command creates DATA_DIR and the store file; what a dry run must not touch comes after.
    const first = await run(['proposals', 'list']);
    // An empty list names the store it read, so a wrong DATA_DIR shows at once.
    expect(first).toMatchObject({ code: 0, stdout: `No proposals in the embedded store at ${path.join(dirs.dataDir, 'store.sqlite')}.\n` });
    // A first real cycle, over a window with no telemetry, prepares the bundled sample and the demo
    // repository in DATA_DIR; after that a dry run must change nothing.
    const prepare = await run(['cycle', '--type=daily', '--as-of', '2024-05-02T00:00:00Z']);
    expect(prepare.code).toBe(0);
    // An empty window is said to be empty, with the newest data and how to reach it, not shown as health.
    expect(prepare.stdout).toMatch(/Note: No telemetry in the window .*the newest row is 2026-01-3\d.*--as-of/s);
  });
  afterAll(() => dirs?.remove());

  it('writes nothing at all in a dry run: DATA_DIR is byte-identical before and after', async () => {
    const before = await snapshotDir(dirs.dataDir);
    expect(Object.keys(before)).toContain('store.sqlite');
    const [human, json] = await Promise.all([
      run(['cycle', '--type=daily', '--dry-run']),
      run(['cycle', '--type=full', '--dry-run', '--json', '--as-of', '2024-05-01T06:00:00Z']),
    ]);
    expect(await snapshotDir(dirs.dataDir)).toEqual(before);

    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/Daily cycle daily-.* \(dry run: nothing was written\)/);
    expect(human.stdout).toMatch(/No report files: a dry run writes nothing\./);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as CycleJson;
    expect(report).toMatchObject({
      type: 'full',
      dryRun: true,
      asOf: '2024-05-01T06:00:00.000Z',
      created: [],
      errors: [],
      reportFiles: null,
    });
  });

  it('runs the seed entry point scripts/run-improvement-cycle as the cycle command, with its flags', async () => {
    const before = await snapshotDir(dirs.dataDir);
    const [seed, seedBadType] = await Promise.all([
      run(['--type=daily', '--dry-run', '--json'], SEED_SCRIPT),
      run(['--type=hourly'], SEED_SCRIPT),
    ]);
    expect(await snapshotDir(dirs.dataDir)).toEqual(before);
    expect(seed.code).toBe(0);
    expect(JSON.parse(seed.stdout)).toMatchObject({ type: 'daily', dryRun: true, reportFiles: null });
    expect(seed.stderr).toBe('');
    expect(seedBadType.code).toBe(2);
    expect(seedBadType.stderr).toMatch(/'hourly' is invalid/);
  });

  it('writes a Markdown and a JSON report under DATA_DIR/reports and says where', async () => {
    const [human, json] = await Promise.all([
      run(['cycle', '--type=weekly']),
      run(['cycle', '--type=monthly', '--json', '--as-of', '2024-05-01']),
    ]);
    expect(human.code).toBe(0);
    expect(json.code).toBe(0);
    const reports = path.join(dirs.dataDir, 'reports');
    const files = (await readdir(reports)).sort();
    for (const type of ['weekly', 'monthly']) {
      expect(files.filter((f) => f.startsWith(`cycle-${type}-`) && f.endsWith('.md'))).toHaveLength(1);
      expect(files.filter((f) => f.startsWith(`cycle-${type}-`) && f.endsWith('.json'))).toHaveLength(1);
    }

    const weeklyMarkdown = files.find((f) => f.startsWith('cycle-weekly-') && f.endsWith('.md'))!;
    expect(human.stdout).toContain(path.join(reports, weeklyMarkdown));
    expect(human.stdout).toContain(path.join(reports, weeklyMarkdown.replace(/\.md$/, '.json')));
    expect(human.stdout).toMatch(/outcome +0 findings, 0 created/);
    expect(await readFile(path.join(reports, weeklyMarkdown), 'utf8')).toMatch(/^# Improvement cycle weekly/);

    const report = JSON.parse(json.stdout) as CycleJson;
    expect(report).toMatchObject({ type: 'monthly', dryRun: false, asOf: '2024-05-01T00:00:00.000Z' });
    const { reportFiles, ...written } = report;
    expect(reportFiles?.json.startsWith(reports)).toBe(true);
    expect(JSON.parse(await readFile(reportFiles!.json, 'utf8'))).toEqual(written);
    expect(await readFile(reportFiles!.markdown, 'utf8')).toMatch(/^# Improvement cycle monthly/);
  });

  it('keeps stdout free of logs and color when it is not a terminal', async () => {
    const [human, json] = await Promise.all([run(['cycle', '--type=daily', '--verbose']), run(['cycle', '--type=daily', '--json'])]);
    // Without --json the logger speaks (its info lines with --verbose), on stderr only, in one human
    // line per entry; the summary on stdout is plain text.
    expect(human.stderr).toMatch(/^info: cycle finished \(cycleId=daily-\S+, findings=0, created=0, updated=0, errors=0\)$/m);
    expect(human.stderr).not.toMatch(/"msg"/);
    expect(human.stdout).not.toMatch(/"msg"/);
    expect(human.stdout).not.toMatch(ANSI_ESCAPE);
    expect(human.stderr).not.toMatch(ANSI_ESCAPE);
    // No progress either: progress is for terminals.
    expect(human.stderr).not.toMatch(/Running the daily cycle|\[1\/\d+\]/);
    // With --json: exactly one JSON document on stdout, and a silent logger.
    expect(json.stdout.endsWith('}\n')).toBe(true);
    expect(() => JSON.parse(json.stdout)).not.toThrow();
    expect(json.stderr).toBe('');
  });
});
