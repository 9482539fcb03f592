import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RepositoryReader } from '../../../../src/ports/repository.ts';
import { createTestGitRepo, type TestGitRepo } from '../../../helpers/git-repo.ts';

// Counts the git processes the reader starts (spawn and execFile both go through spawn).
const spawned: string[][] = [];
const realSpawn = childProcess.spawn;
childProcess.spawn = ((command: string, args: readonly string[], ...rest: unknown[]) => {
  if (command === 'git') spawned.push([...args]);
  return (realSpawn as (...all: unknown[]) => ReturnType<typeof realSpawn>)(command, args, ...rest);
}) as typeof realSpawn;
syncBuiltinESMExports();
const { createGitRepositoryReader } = await import('../../../../src/adapters/git/history/git-repository-reader.ts');

const files = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`src/module-${i}.js`, `export const n = ${i};\n// é ✓ 📦\n`]));

describe('reading files of the target repository', () => {
  let repo: TestGitRepo;
  let reader: RepositoryReader;

  beforeAll(async () => {
    repo = await createTestGitRepo();
    await repo.commit({ message: 'sixty modules', date: '2025-03-01T10:00:00.000Z', files });
    reader = createGitRepositoryReader(repo.dir);
  });
  afterAll(async () => {
    childProcess.spawn = realSpawn;
    syncBuiltinESMExports();
    await repo?.cleanup();
  });

  it('reads sixty files, read together or one after another, through one git process', async () => {
    spawned.length = 0;
    const together = await Promise.all(Object.keys(files).map((file) => reader.readFile(file)));
    expect(together).toEqual(Object.values(files));
    for (const [file, text] of Object.entries(files).slice(0, 20)) expect(await reader.readFile(file)).toBe(text);
    expect(spawned.filter((args) => args.includes('cat-file'))).toHaveLength(1);
  });

  it('reads a missing file and a folder as null, and keeps reading after them', async () => {
    expect(await reader.readFile('src/nope.js')).toBeNull();
    expect(await reader.readFile('src')).toBeNull();
    expect(await reader.readFile('src/module-7.js')).toBe(files['src/module-7.js']);
  });

  it('sees a new commit once it has been idle', async () => {
    await new Promise((resolve) => setTimeout(resolve, 200));
    await repo.commit({ message: 'change one', date: '2025-03-02T10:00:00.000Z', files: { 'src/module-3.js': 'export const n = 33;\n' } });
    expect(await reader.readFile('src/module-3.js')).toBe('export const n = 33;\n');
  });
});
