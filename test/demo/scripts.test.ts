import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const script = (name: string, ...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'scripts', name), ...args], { cwd: repoRoot });

describe('the demo scripts', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'demo-scripts-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('generate-sample-telemetry writes the three tables and the manifest with the sizes asked', async () => {
    const out = path.join(root, 'sample');
    const { stdout } = await script(
      'generate-sample-telemetry.ts',
      '--out',
      out,
      '--interactions',
      '1_000',
      '--metrics',
      '10000',
      '--days',
      '7',
      '--seed',
      '3',
    );
    expect(stdout).toMatch(
      /^Wrote 10,000 metric rows, 1,000 interactions and [\d,]+ error rows \(2026-01-24T00:00:00.000Z to 2026-01-31T00:00:00.000Z\) to .* in [\d.]+ s\n$/,
    );
    expect((await readdir(out)).sort()).toEqual([
      'api_metrics.parquet',
      'customer_interactions.parquet',
      'error_logs.parquet',
      'sample.json',
    ]);
  });

  it('generate-sample-telemetry refuses a size that is not a whole number', async () => {
    await expect(script('generate-sample-telemetry.ts', '--out', path.join(root, 'bad'), '--metrics', 'lots')).rejects.toMatchObject({
      code: 1,
    });
  });

  it('create-demo-repo creates the repository once and then leaves it alone', async () => {
    const dir = path.join(root, 'repo');
    expect((await script('create-demo-repo.ts', '--dir', dir)).stdout).toMatch(
      /^Created the demo repository at .* \(HEAD [0-9a-f]{40}\)\n$/,
    );
    expect((await script('create-demo-repo.ts', '--dir', dir)).stdout).toMatch(/left as it is\n$/);
  });
});
