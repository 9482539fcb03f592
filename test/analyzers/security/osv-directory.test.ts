import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { osvDirectory } from '../../../src/analyzers/security/osv-directory.ts';
import { OSV_FIXTURES } from './planted-project.ts';

describe('an OSV folder', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it('gives the advisories of the packages asked for and no others', async () => {
    const lookup = await osvDirectory(OSV_FIXTURES).lookup(new Set(['lodash', 'minimist', 'left-pad']));
    expect(lookup.problems).toEqual([]);
    expect(lookup.read).toBe(5);
    expect(
      lookup.byPackage
        .get('lodash')
        ?.map((a) => a.id)
        .sort(),
    ).toEqual(['GHSA-35jh-r3h4-6jhm', 'GHSA-p6mc-m468-83gw']);
    expect(
      lookup.byPackage
        .get('minimist')
        ?.map((a) => a.id)
        .sort(),
    ).toEqual(['GHSA-vh95-rmgr-6w4m', 'GHSA-xvch-5gv4-984h']);
    expect(lookup.byPackage.has('ansi-regex')).toBe(false);
    expect(lookup.byPackage.has('left-pad')).toBe(false);
  });

  it('names each malformed file and still reads every other one', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'osv-bad-'));
    dirs.push(dir);
    await cp(OSV_FIXTURES, dir, { recursive: true });
    await writeFile(path.join(dir, 'BROKEN-1.json'), '{"id": "BROKEN-1", "affected": [');
    await writeFile(
      path.join(dir, 'BROKEN-2.json'),
      JSON.stringify({ id: 'BROKEN-2', affected: [{ ranges: [{ type: 'SEMVER', events: 'none' }] }] }),
    );
    const lookup = await osvDirectory(dir).lookup(new Set(['lodash', 'minimist', 'ansi-regex']));
    expect(lookup.read).toBe(5);
    expect(lookup.problems).toHaveLength(2);
    expect(lookup.problems[0]).toMatch(/^BROKEN-1\.json: not an OSV advisory \(invalid JSON/);
    expect(lookup.problems[1]).toMatch(/^BROKEN-2\.json: not an OSV advisory \(affected\.0\.ranges\.0\.events: /);
    expect([...lookup.byPackage.keys()].sort()).toEqual(['ansi-regex', 'lodash', 'minimist']);
  });

  it('says which folder is missing and what fills it', async () => {
    await expect(osvDirectory('/nonexistent/osv').lookup(new Set(['lodash']))).rejects.toThrow(
      'OSV_DIR /nonexistent/osv cannot be read (ENOENT); run improvement-loop osv-sync',
    );
  });
});
