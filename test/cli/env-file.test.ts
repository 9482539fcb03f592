import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeDataDir, runBinary } from './binary.ts';

describe('a .env file in the working directory', () => {
  let dirs: Awaited<ReturnType<typeof makeDataDir>>;
  beforeEach(async () => {
    dirs = await makeDataDir();
  });
  afterEach(() => dirs?.remove());

  // runBinary always sets DATA_DIR; a blank value counts as unset, for config.ts and for .env alike.
  const list = (env: Record<string, string>) => runBinary(['proposals', 'list'], { dataDir: dirs.dataDir, cwd: dirs.cwd, env });

  it('is read before the configuration is checked, and the environment wins over it', async () => {
    await writeFile(path.join(dirs.cwd, '.env'), '# as copied from .env.example\nDATA_DIR=./from-dotenv\nNO_SUCH_THING="kept"\n');
    const [fromFile, fromEnvironment] = await Promise.all([list({ DATA_DIR: '' }), list({ DATA_DIR: dirs.dataDir })]);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(fromFile.stdout).toBe(`No proposals in the embedded store at ${path.join(dirs.cwd, 'from-dotenv', 'store.sqlite')}.\n`);
    // The hint after an empty list says which .env was read.
    expect(fromFile.stderr).toContain(path.join(dirs.cwd, '.env'));
    expect(fromEnvironment.stdout).toBe(`No proposals in the embedded store at ${path.join(dirs.dataDir, 'store.sqlite')}.\n`);
  });

  it('is validated like the environment: a wrong value in it is a configuration error (exit 2)', async () => {
    await writeFile(path.join(dirs.cwd, '.env'), 'LOG_LEVEL=chatty\n');
    const run = await list({});
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/LOG_LEVEL/);
    expect(run.stderr).toMatch(/chatty/);
  });

  it('that cannot be read stops the command instead of silently dropping its settings', async () => {
    // A directory where the file should be: readable by nobody as a file, whoever runs the test (root included).
    await mkdir(path.join(dirs.cwd, '.env'));
    const run = await list({});
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`error: Invalid configuration:\n  - .env: cannot read ${path.join(dirs.cwd, '.env')} (EISDIR)\n`);
  });

  it('is not needed: without one the settings come from the environment alone', async () => {
    const run = await list({});
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/no \.env in this directory/);
  });
});
