/**
 * The security analyzer on a planted project: a package-lock.json with VULNERABLE known-vulnerable
 * and SAFE safe package versions, an OSV folder of ADVISORIES advisories (the five real ones in
 * test/fixtures/osv plus generated ones, with decoys: another ecosystem, a withdrawn record, a
 * version exactly at its fix, malformed files), and SECRETS committed tokens among clean files.
 * Prints advisories matched / expected, false matches, secrets found / planted, whether any full
 * secret appears in the findings, and the time of the dependency scan against a baseline measured in
 * the same run: a bare loop that reads and JSON.parses the same advisory files and compares nothing.
 * Run: npx tsx bench/security-scan.ts   (BENCH_PACKAGES=5000 BENCH_ADVISORIES=20000 for more)
 */
import { copyFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { osvDirectory } from '../src/analyzers/security/osv-directory.ts';
import { createSecurityAnalyzer } from '../src/analyzers/security/security-analyzer.ts';
import type { AnalysisContext } from '../src/ports/analyzer.ts';
import type { RepositoryReader } from '../src/ports/repository.ts';

const PACKAGES = Number(process.env.BENCH_PACKAGES ?? 1000);
const ADVISORIES = Number(process.env.BENCH_ADVISORIES ?? 5000);
const VULNERABLE = Math.round(PACKAGES * 0.1);
const SAFE = PACKAGES - VULNERABLE;
const SECRETS = 25;
const CLEAN_FILES = 500;
const ROUNDS = 5;
const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../test/fixtures/osv');
const context: AnalysisContext = { cycle: 'weekly', asOf: new Date(), window: { from: new Date(0), to: new Date() } };

function advisory(id: string, name: string, events: object[], extra: object = {}): string {
  return JSON.stringify({
    id,
    modified: '2026-01-01T00:00:00Z',
    affected: [{ package: { ecosystem: 'npm', name }, ranges: [{ type: 'SEMVER', events }] }],
    database_specific: { severity: 'HIGH' },
    ...extra,
  });
}

/** A token of GitHub's shape from a counter: made up, never issued. */
function token(i: number): string {
  const body = `${i.toString(36)}Qx7Lm2Vn9Pz4Rk8Tw3Yb6Hd1Jf5Gs0Ac`.padEnd(36, 'Z').slice(0, 36);
  return `ghp_${body}`;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-security-'));
  try {
    const osv = path.join(dir, 'osv');
    await import('node:fs/promises').then((fs) => fs.mkdir(osv));
    for (const f of (await readdir(FIXTURES)).filter((n) => n.endsWith('.json'))) await copyFile(path.join(FIXTURES, f), path.join(osv, f));

    const packages: Record<string, object> = { '': { name: 'bench', version: '1.0.0', dependencies: {} as Record<string, string> } };
    const root = packages[''] as { dependencies: Record<string, string> };
    const expected = new Set<string>();
    const add = (name: string, version: string) => {
      packages[`node_modules/${name}`] = {
        version,
        resolved: `https://registry.npmjs.org/${name}/-/${name}-${version}.tgz`,
        integrity: 'sha512-x',
      };
      root.dependencies[name] = `^${version}`;
    };
    // Real advisories on real packages: lodash 4.17.15 (2 advisories), minimist 1.2.5 (1), ansi-regex 5.0.0 (1).
    add('lodash', '4.17.15');
    add('minimist', '1.2.5');
    add('ansi-regex', '5.0.0');
    for (const id of ['GHSA-35jh-r3h4-6jhm', 'GHSA-p6mc-m468-83gw']) expected.add(`lodash@4.17.15:${id}`);
    expected.add('minimist@1.2.5:GHSA-xvch-5gv4-984h');
    expected.add('ansi-regex@5.0.0:GHSA-93q8-gq69-wqmw');

    let written = 5;
    for (let i = 0; i < PACKAGES; i++) {
      const name = `bench-pkg-${i}`;
      const vulnerable = i < VULNERABLE;
      add(name, vulnerable ? '1.2.0' : '2.0.0');
      // Every package has an advisory fixed in 1.5.0: the vulnerable ones sit below it, the safe ones above.
      await writeFile(path.join(osv, `BENCH-${i}.json`), advisory(`BENCH-${i}`, name, [{ introduced: '0' }, { fixed: '1.5.0' }]));
      written += 1;
      if (vulnerable) expected.add(`${name}@1.2.0:BENCH-${i}`);
    }
    // Decoys on the safe packages: at the fix exactly, another ecosystem, withdrawn, last_affected below.
    for (let i = VULNERABLE; i < VULNERABLE + 40 && i < PACKAGES; i++) {
      const name = `bench-pkg-${i}`;
      await writeFile(path.join(osv, `DECOY-A-${i}.json`), advisory(`DECOY-A-${i}`, name, [{ introduced: '0' }, { fixed: '2.0.0' }]));
      await writeFile(
        path.join(osv, `DECOY-B-${i}.json`),
        JSON.stringify({
          id: `DECOY-B-${i}`,
          affected: [{ package: { ecosystem: 'PyPI', name }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }] }] }],
        }),
      );
      await writeFile(
        path.join(osv, `DECOY-C-${i}.json`),
        advisory(`DECOY-C-${i}`, name, [{ introduced: '0' }], { withdrawn: '2026-01-01T00:00:00Z' }),
      );
      await writeFile(
        path.join(osv, `DECOY-D-${i}.json`),
        advisory(`DECOY-D-${i}`, name, [{ introduced: '0' }, { last_affected: '1.9.9' }]),
      );
      written += 4;
    }
    for (let i = 0; i < 10; i++, written++) await writeFile(path.join(osv, `MALFORMED-${i}.json`), '{"id": ');
    // Filler: advisories for packages the project does not have.
    for (let i = 0; written < ADVISORIES; i++, written++)
      await writeFile(
        path.join(osv, `OTHER-${i}.json`),
        advisory(`OTHER-${i}`, `other-pkg-${i}`, [{ introduced: '0' }, { fixed: '9.0.0' }]),
      );

    const files: Record<string, string> = {
      'package.json': `${JSON.stringify({ name: 'bench', dependencies: root.dependencies }, null, 2)}\n`,
    };
    files['package-lock.json'] = `${JSON.stringify({ name: 'bench', lockfileVersion: 3, requires: true, packages }, null, 2)}\n`;
    const planted: string[] = [];
    for (let i = 0; i < SECRETS; i++) {
      planted.push(token(i));
      files[`src/client-${i}.js`] = `export const headers = { authorization: 'token ${token(i)}' };\n`;
    }
    for (let i = 0; i < CLEAN_FILES; i++) files[`src/module-${i}.js`] = `export function f${i}(a, b) {\n  return a + b * ${i};\n}\n`;
    const repo: RepositoryReader = {
      listFiles: async () => Object.keys(files),
      readFile: async (f) => files[f] ?? null,
      commitsTouching: async () => [],
      blame: async () => [],
      churn: async () => new Map(),
      head: async () => '0'.repeat(40),
    };

    const notes: string[] = [];
    const analyzer = createSecurityAnalyzer({ repo, advisories: osvDirectory(osv), onNote: (n) => notes.push(n) });
    const findings = await analyzer.analyze(context);
    const matched = new Set(
      findings
        .filter((f) => f.category === 'dependency')
        .flatMap((f) =>
          (f.details?.['advisories'] as { id: string }[]).map((a) => `${f.details?.['package']}@${f.details?.['version']}:${a.id}`),
        ),
    );
    const hits = [...matched].filter((m) => expected.has(m)).length;
    const falseMatches = [...matched].filter((m) => !expected.has(m));
    const secrets = findings.filter((f) => f.category === 'secret');
    const leaked = planted.filter((t) => JSON.stringify(findings).includes(t) || JSON.stringify(notes).includes(t)).length;

    // Timing: the dependency part alone (no secret files), against reading and parsing the same advisories.
    const lockOnly: RepositoryReader = { ...repo, listFiles: async () => ['package.json', 'package-lock.json'] };
    const depsAnalyzer = createSecurityAnalyzer({ repo: lockOnly, advisories: osvDirectory(osv) });
    const names = (await readdir(osv)).filter((f) => f.endsWith('.json'));
    const time = async (run: () => Promise<unknown>) => {
      const samples: number[] = [];
      for (let r = 0; r < ROUNDS; r++) {
        const began = performance.now();
        await run();
        samples.push(performance.now() - began);
      }
      return samples.sort((a, b) => a - b)[Math.floor(ROUNDS / 2)]!;
    };
    const baseline = await time(async () => {
      for (const f of names) {
        try {
          JSON.parse(await readFile(path.join(osv, f), 'utf8'));
        } catch {
          // malformed on purpose
        }
      }
    });
    const scan = await time(() => depsAnalyzer.analyze(context));
    const lookupOnly = await time(() => osvDirectory(osv).lookup(new Set(Object.keys(root.dependencies))));
    const secretScan = await time(() => createSecurityAnalyzer({ repo }).analyze(context));

    console.log(
      `lockfile: ${PACKAGES + 3} packages (${VULNERABLE + 3} vulnerable, ${SAFE} safe); OSV folder: ${names.length} files (10 malformed, 160 decoys)`,
    );
    console.log(
      `advisories matched / expected: ${hits} / ${expected.size}; false matches: ${falseMatches.length}${falseMatches.length ? ` (${falseMatches.slice(0, 5).join(', ')})` : ''}`,
    );
    console.log(`malformed advisories reported: ${notes.filter((n) => n.includes('MALFORMED-')).length} / 10`);
    console.log(
      `secrets found / planted: ${secrets.length} / ${SECRETS} in ${SECRETS + CLEAN_FILES + 2} files; full secrets in findings or notes: ${leaked}`,
    );
    console.log(
      `dependency scan (median of ${ROUNDS}): ${scan.toFixed(0)} ms; baseline, read + JSON.parse of the same files: ${baseline.toFixed(0)} ms (${(scan / baseline).toFixed(2)}×); of which reading and validating the advisories: ${lookupOnly.toFixed(0)} ms`,
    );
    console.log(`secret scan of ${SECRETS + CLEAN_FILES + 2} files (no OSV folder, median of ${ROUNDS}): ${secretScan.toFixed(0)} ms`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
