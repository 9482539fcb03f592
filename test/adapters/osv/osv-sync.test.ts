import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import yazl from 'yazl';
import { syncOsv } from '../../../src/adapters/osv/osv-sync.ts';
import { osvDirectory } from '../../../src/analyzers/security/osv-directory.ts';
import { runCli } from '../../../src/cli/main.ts';
import { OSV_FIXTURES } from '../../analyzers/security/planted-project.ts';

/** A zip as yazl writes it (the format osv.dev's all.zip has), from name → content. */
function zipOf(files: Record<string, string>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, content] of Object.entries(files)) zip.addBuffer(Buffer.from(content), name);
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

async function fixtureFiles(): Promise<Record<string, string>> {
  const names = (await readdir(OSV_FIXTURES)).filter((f) => f.endsWith('.json'));
  return Object.fromEntries(await Promise.all(names.map(async (n) => [n, await readFile(path.join(OSV_FIXTURES, n), 'utf8')] as const)));
}

function capture() {
  const chunks: string[] = [];
  return { write: (c: string) => chunks.push(c) > 0, text: () => chunks.join('') };
}

describe('osv-sync against a local server speaking plain HTTP', () => {
  let server: Server;
  let baseUrl: string;
  const served = new Map<string, { status: number; body: Buffer }>();
  let root: string;
  let osvDir: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const answer = served.get(req.url ?? '') ?? { status: 404, body: Buffer.from('not found') };
      res.writeHead(answer.status, { 'content-type': 'application/zip', 'content-length': answer.body.length });
      res.end(answer.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'osv-sync-'));
    osvDir = path.join(root, 'osv');
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('unpacks the zip into a new folder and points OSV_DIR at it; a malformed advisory is named and the rest are read', async () => {
    served.set('/npm/all.zip', {
      status: 200,
      body: await zipOf({ ...(await fixtureFiles()), 'BROKEN.json': '{"id": 1}', 'README.txt': 'x' }),
    });
    const result = await syncOsv({ url: `${baseUrl}/npm/all.zip`, dir: osvDir });
    expect(result.files).toBe(6);
    expect((await lstat(osvDir)).isSymbolicLink()).toBe(true);
    expect((await readdir(osvDir)).sort()).toEqual(['BROKEN.json', ...Object.keys(await fixtureFiles()).sort()]);
    const lookup = await osvDirectory(osvDir).lookup(new Set(['lodash', 'minimist', 'ansi-regex']));
    expect(lookup.read).toBe(5);
    expect(lookup.problems).toEqual(['BROKEN.json: not an OSV advisory (id: Invalid input: expected string, received number)']);
  });

  it('replaces a previous sync in one rename and removes the folder it replaced', async () => {
    const all = await fixtureFiles();
    served.set('/first.zip', { status: 200, body: await zipOf(all) });
    served.set('/second.zip', { status: 200, body: await zipOf({ 'npm/GHSA-35jh-r3h4-6jhm.json': all['GHSA-35jh-r3h4-6jhm.json']! }) });
    const first = await syncOsv({ url: `${baseUrl}/first.zip`, dir: osvDir });
    const second = await syncOsv({ url: `${baseUrl}/second.zip`, dir: osvDir });
    expect(await readlink(osvDir)).toBe(path.basename(second.folder));
    // A path inside an entry's name does not choose where it lands: the file is flat in the folder.
    expect(await readdir(osvDir)).toEqual(['GHSA-35jh-r3h4-6jhm.json']);
    await expect(lstat(first.folder)).rejects.toThrow(/ENOENT/);
    expect((await readdir(root)).sort()).toEqual([path.basename(second.folder), 'osv']);
  });

  it('leaves OSV_DIR as it was, and nothing behind, when the download fails, the zip is corrupt or holds no advisory', async () => {
    served.set('/good.zip', { status: 200, body: await zipOf(await fixtureFiles()) });
    served.set('/corrupt.zip', { status: 200, body: Buffer.from('PK\u0003\u0004 this is not a zip') });
    served.set('/empty.zip', { status: 200, body: await zipOf({ 'README.txt': 'nothing here' }) });
    const good = await syncOsv({ url: `${baseUrl}/good.zip`, dir: osvDir });
    await expect(syncOsv({ url: `${baseUrl}/missing.zip`, dir: osvDir })).rejects.toThrow(
      `GET ${baseUrl}/missing.zip answered 404 Not Found`,
    );
    await expect(syncOsv({ url: `${baseUrl}/corrupt.zip`, dir: osvDir })).rejects.toThrow(/^not a readable zip: /);
    await expect(syncOsv({ url: `${baseUrl}/empty.zip`, dir: osvDir })).rejects.toThrow(
      'holds no .json advisory; OSV_DIR is left as it was',
    );
    expect(await readlink(osvDir)).toBe(path.basename(good.folder));
    expect((await readdir(osvDir)).length).toBe(5);
    expect((await readdir(root)).sort()).toEqual([path.basename(good.folder), 'osv']);
  });

  it('takes over a folder made by hand', async () => {
    await mkdir(osvDir);
    await writeFile(path.join(osvDir, 'OLD.json'), '{}');
    served.set('/good.zip', { status: 200, body: await zipOf(await fixtureFiles()) });
    await syncOsv({ url: `${baseUrl}/good.zip`, dir: osvDir });
    expect((await readdir(osvDir)).includes('OLD.json')).toBe(false);
    expect((await readdir(root)).filter((n) => n.includes('replaced'))).toEqual([]);
  });

  it('runs as `improvement-loop osv-sync` with OSV_DIR and OSV_SYNC_URL, and refuses to run without OSV_DIR', async () => {
    served.set('/cli.zip', { status: 200, body: await zipOf(await fixtureFiles()) });
    const stdout = capture();
    const env = { LOG_LEVEL: 'silent', DATA_DIR: path.join(root, 'data'), OSV_SYNC_URL: `${baseUrl}/cli.zip` };
    expect(await runCli(['node', 'improvement-loop', 'osv-sync'], { stdout, stderr: capture(), env: { ...env, OSV_DIR: osvDir } })).toBe(0);
    expect(stdout.text()).toMatch(new RegExp(`^5 advisories \\(\\d+ bytes downloaded\\) are now in ${osvDir}\\.\\n$`));
    const stderr = capture();
    expect(await runCli(['node', 'improvement-loop', 'osv-sync'], { stdout: capture(), stderr, env })).toBe(2);
    expect(stderr.text()).toContain('OSV_DIR is unset');
  });
});
