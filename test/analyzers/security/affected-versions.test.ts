import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { advisoryAffects, fixingVersions } from '../../../src/analyzers/security/affected-versions.ts';
import { parseAdvisory, severityOf, type OsvAdvisory } from '../../../src/analyzers/security/osv-advisory.ts';
import { OSV_FIXTURES } from './planted-project.ts';

const real = (id: string): OsvAdvisory => parseAdvisory(readFileSync(path.join(OSV_FIXTURES, `${id}.json`), 'utf8'), `${id}.json`);

function planted(affected: unknown[], extra: Record<string, unknown> = {}): OsvAdvisory {
  return parseAdvisory(JSON.stringify({ id: 'TEST-1', affected, ...extra }), 'TEST-1.json');
}

describe('matching installed npm versions against OSV advisories', () => {
  it('reads the real lodash advisories: 4.17.15 is hit by both, 4.17.20 by the template one only, 4.17.21 by neither', () => {
    const template = real('GHSA-35jh-r3h4-6jhm');
    const zip = real('GHSA-p6mc-m468-83gw');
    expect([advisoryAffects(template, 'lodash', '4.17.15'), advisoryAffects(zip, 'lodash', '4.17.15')]).toEqual([true, true]);
    expect([advisoryAffects(template, 'lodash', '4.17.20'), advisoryAffects(zip, 'lodash', '4.17.20')]).toEqual([true, false]);
    expect([advisoryAffects(template, 'lodash', '4.17.21'), advisoryAffects(zip, 'lodash', '4.17.21')]).toEqual([false, false]);
    expect(advisoryAffects(template, 'lodash-es', '4.17.20')).toBe(true);
    expect(advisoryAffects(template, 'underscore', '1.0.0')).toBe(false);
  });

  it('keeps the ranges of one advisory apart: minimist 0.2.3 and 1.2.5 are hit, 0.2.4, 1.2.6 and 2.0.0 are not', () => {
    const minimist = real('GHSA-xvch-5gv4-984h');
    expect(['0.2.3', '1.2.5', '0.2.4', '1.2.6'].map((v) => advisoryAffects(minimist, 'minimist', v))).toEqual([true, true, false, false]);
  });

  it('picks the lowest version that no advisory still affects, per major line', () => {
    const lodash = [real('GHSA-35jh-r3h4-6jhm'), real('GHSA-p6mc-m468-83gw')];
    expect(fixingVersions(lodash, 'lodash', '4.17.15')).toEqual(['4.17.21']);
    const ansi = [real('GHSA-93q8-gq69-wqmw')];
    expect(fixingVersions(ansi, 'ansi-regex', '5.0.0')).toEqual(['5.0.1', '6.0.1']);
  });

  it('reads SEMVER ranges, last_affected, limit and versions[] as the schema says', () => {
    const semver = planted([
      {
        package: { ecosystem: 'npm', name: 'pkg' },
        ranges: [{ type: 'SEMVER', events: [{ introduced: '1.0.0' }, { last_affected: '1.4.0' }] }],
      },
      { package: { ecosystem: 'npm', name: 'pkg' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '2.0.0' }, { limit: '2.1.0' }] }] },
      { package: { ecosystem: 'npm', name: 'pkg' }, versions: ['3.3.3'] },
      { package: { ecosystem: 'npm', name: 'pkg' }, ranges: [{ type: 'GIT', repo: 'x', events: [{ introduced: '0' }] }] },
    ]);
    const hit = (v: string) => advisoryAffects(semver, 'pkg', v);
    expect(['0.9.0', '1.0.0', '1.4.0', '1.4.1', '2.0.5', '2.1.0', '3.3.3', '3.3.4'].map(hit)).toEqual([
      false,
      true,
      true,
      false,
      true,
      false,
      true,
      false,
    ]);
    expect(fixingVersions([semver], 'pkg', '1.2.0')).toEqual([]);
  });

  it('ignores a withdrawn advisory and another ecosystem of the same name', () => {
    const withdrawn = planted(
      [{ package: { ecosystem: 'npm', name: 'pkg' }, ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }] }],
      {
        withdrawn: '2024-01-01T00:00:00Z',
      },
    );
    const pypi = planted([{ package: { ecosystem: 'PyPI', name: 'pkg' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }] }]);
    expect(advisoryAffects(withdrawn, 'pkg', '1.0.0')).toBe(false);
    expect(advisoryAffects(pypi, 'pkg', '1.0.0')).toBe(false);
  });

  it('takes the severity word of a reviewed advisory and keeps the CVSS vector', () => {
    expect(severityOf(real('GHSA-xvch-5gv4-984h'))).toEqual({ level: 'critical', vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' });
    expect(severityOf(real('GHSA-vh95-rmgr-6w4m')).level).toBe('moderate');
    expect(severityOf(planted([])).level).toBe('unknown');
  });
});
