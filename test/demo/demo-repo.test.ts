import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Linter } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskMessage } from '../../src/analyzers/errors/mask.ts';
import { topInAppFrames } from '../../src/analyzers/errors/stack-frames.ts';
import { DEMO_COMMITS } from '../../src/demo/demo-history.ts';
import { createDemoRepo } from '../../src/demo/demo-repo.ts';
import {
  DEMO_APP_ROOT,
  ENDPOINT_PROFILES,
  PLANTED_CODE_QUALITY,
  PLANTED_ERROR_GROUPS,
  PLANTED_REGRESSION,
  PLANTED_SLOW_ENDPOINT,
} from '../../src/demo/planted.ts';
import { NOISE_ERRORS } from '../../src/demo/sample/error-messages.ts';

const run = promisify(execFile);
const git = async (dir: string, ...args: string[]) => (await run('git', ['-c', 'core.hooksPath=/dev/null', ...args], { cwd: dir })).stdout;

/** Requests that make the demo service throw each planted error, logged the way production logs them. */
const TRIGGER = `
const root = process.argv[2];
const { buildApp } = await import(root + '/src/server.js');
const { paymentProvider } = await import(root + '/src/payments/provider.js');
const logs = [];
const app = buildApp({ logError: (entry) => logs.push(entry) });
await app.handle({ method: 'GET', path: '/api/orders/1042' });
paymentProvider.charge = () => ({ id: 'ch_1', latencyMs: 4870 });
await app.handle({ method: 'POST', path: '/api/checkout', body: { orderId: 1043 } });
await app.handle({ method: 'POST', path: '/api/auth/login', body: { token: 'tok-maria' } });
await app.handle({ method: 'GET', path: '/api/reports/export', query: { report: '48812' } });
console.log(JSON.stringify(logs));
`;

describe('the demo repository', () => {
  let root: string;
  let dir: string;
  let head: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'demo-repo-'));
    dir = path.join(root, 'demo-repo');
    const repo = await createDemoRepo({ dir });
    expect(repo.created).toBe(true);
    head = repo.head;
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('has the scripted commits with their fixed dates, authors and subjects, oldest first', async () => {
    const log = (await git(dir, 'log', '--reverse', '--format=%aI|%cI|%an|%ae|%s')).trim().split('\n');
    expect(log).toEqual(
      DEMO_COMMITS.map((commit) => {
        const date = commit.date.replace('Z', '+00:00');
        return `${date}|${date}|${commit.author.name}|${commit.author.email}|${commit.subject}`;
      }),
    );
    expect((await git(dir, 'status', '--porcelain')).trim()).toBe('');
  });

  it('gets the same commit ids when built again, and leaves an existing repository as it is', async () => {
    const again = await createDemoRepo({ dir: path.join(root, 'second') });
    expect(again.head).toBe(head);
    await writeFile(path.join(dir, 'local-change.txt'), 'mine');
    expect(await createDemoRepo({ dir })).toEqual({ dir, created: false, head });
    expect(await readFile(path.join(dir, 'local-change.txt'), 'utf8')).toBe('mine');
    await rm(path.join(dir, 'local-change.txt'));
  });

  it('refuses a folder that holds other files', async () => {
    const occupied = path.join(root, 'occupied');
    await mkdir(occupied);
    await writeFile(path.join(occupied, 'notes.txt'), 'keep me');
    await expect(createDemoRepo({ dir: occupied })).rejects.toThrow('is not empty and is not a git repository');
  });

  it('passes its own tests with node --test', async () => {
    const { stdout } = await run(process.execPath, ['--test'], { cwd: dir });
    expect(stdout).toMatch(/# fail 0/);
    expect(stdout).toMatch(/# pass [1-9]/);
  });

  it('registers every endpoint of the sample in src/server.js', async () => {
    const server = await readFile(path.join(dir, 'src/server.js'), 'utf8');
    for (const { endpoint } of ENDPOINT_PROFILES) {
      const [method, route] = endpoint.split(' ');
      expect(server).toContain(`app.${method!.toLowerCase()}('${route}', `);
    }
  });

  it('throws each planted error from the frames the sample names, with a message of its template', async () => {
    const script = path.join(root, 'trigger.mjs');
    await writeFile(script, TRIGGER);
    const { stdout } = await run(process.execPath, [script, dir]);
    const logged = JSON.parse(stdout) as { error_type: string; error_message: string; stack_trace: string; endpoint: string }[];
    expect(logged).toHaveLength(PLANTED_ERROR_GROUPS.length);
    for (const group of PLANTED_ERROR_GROUPS) {
      const entry = logged.find((candidate) => candidate.endpoint === group.endpoint)!;
      expect(entry.error_type).toBe(group.errorType);
      expect(entry.error_message).toBe(group.example);
      expect(maskMessage(entry.error_message)).toBe(group.maskedTemplate);
      const real = topInAppFrames(entry.stack_trace, { appRoots: [dir] }).slice(0, 3);
      const sampled = topInAppFrames([`${group.errorType}: ${group.example}`, ...group.stackFrames].join('\n'), {
        appRoots: [DEMO_APP_ROOT],
      });
      expect(real).toEqual(sampled.slice(0, 3));
      expect(sampled).toEqual(group.frames);
    }
  });

  it('holds every in-app line that a stack of the sample names', async () => {
    const stacks = [...PLANTED_ERROR_GROUPS.map((group) => group.stackFrames), ...NOISE_ERRORS.map((noise) => noise.stack)];
    let checked = 0;
    for (const frames of stacks) {
      for (const frame of topInAppFrames(frames.join('\n'), { appRoots: [DEMO_APP_ROOT] })) {
        if (frame.file.startsWith('/') || frame.file.startsWith('node_modules/') || frame.file === '<anonymous>') continue;
        const lines = (await readFile(path.join(dir, frame.file), 'utf8')).split('\n');
        expect(lines[frame.line - 1]?.trim(), `${frame.file}:${frame.line}`).toBeTruthy();
        expect(lines[frame.line - 1]!.length).toBeGreaterThanOrEqual(frame.column);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('has each planted problem introduced by its commit, which touches the file the evidence names', async () => {
    const changedBy = async (subject: string) => {
      const sha = (await git(dir, 'log', '--format=%H', '-F', `--grep=${subject}`)).trim();
      return (await git(dir, 'show', '--name-only', '--format=', sha)).trim().split('\n');
    };
    for (const group of PLANTED_ERROR_GROUPS) {
      expect(await changedBy(group.introducedBy.subject)).toContain(group.frames[0]!.file);
      expect(group.startsAt.toISOString()).toBe(new Date(group.introducedBy.date).toISOString());
    }
    expect(await changedBy(PLANTED_REGRESSION.introducedBy.subject)).toContain(PLANTED_REGRESSION.suspect.file);
    expect(PLANTED_REGRESSION.startsAt.toISOString()).toBe(new Date(PLANTED_REGRESSION.introducedBy.date).toISOString());
    expect(await readFile(path.join(dir, PLANTED_REGRESSION.suspect.file), 'utf8')).toContain(
      `async function ${PLANTED_REGRESSION.suspect.function}(`,
    );
    expect(await changedBy(PLANTED_SLOW_ENDPOINT.introducedBy.subject)).toContain(PLANTED_SLOW_ENDPOINT.suspect.file);
    expect(await readFile(path.join(dir, PLANTED_SLOW_ENDPOINT.suspect.file), 'utf8')).toMatch(
      /for \(const .* of .*\) \{\n\s+const customer = await db\.fetchCustomer\(/,
    );
  });

  it('has the planted code-quality problems: a complex function, a copied block, one undocumented export', async () => {
    const { complexFunction, duplicate, undocumentedExport } = PLANTED_CODE_QUALITY;
    const source = await readFile(path.join(dir, complexFunction.file), 'utf8');
    const messages = new Linter().verify(source, [
      { languageOptions: { ecmaVersion: 2024, sourceType: 'module' }, rules: { complexity: ['error', 10] } },
    ]);
    expect(messages.map((message) => message.message)).toEqual([
      `Function '${complexFunction.function}' has a complexity of ${complexFunction.complexity}. Maximum allowed is 10.`,
    ]);

    const [first, second] = await Promise.all(
      duplicate.files.map(async (file) => (await readFile(path.join(dir, file), 'utf8')).split('\n')),
    );
    const [[a1, a2], [b1, b2]] = duplicate.ranges;
    expect(first!.slice(a1! - 1, a2)).toEqual(second!.slice(b1! - 1, b2));
    expect(a2! - a1! + 1).toBe(duplicate.lines);

    const files = (await git(dir, 'ls-files', 'src')).trim().split('\n');
    const undocumented: string[] = [];
    for (const file of files) {
      const lines = (await readFile(path.join(dir, file), 'utf8')).split('\n');
      lines.forEach((line, index) => {
        const name = /^export (?:async )?(?:function|class|const) (\w+)/.exec(line)?.[1];
        if (name && !lines[index - 1]?.trim().endsWith('*/')) undocumented.push(`${file}#${name}`);
      });
    }
    expect(undocumented).toEqual([`${undocumentedExport.file}#${undocumentedExport.function}`]);
  });
});
