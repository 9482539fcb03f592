#!/usr/bin/env node
// Compiles src/ to dist/ (tsconfig.build.json; `--out <dir>` writes elsewhere) and copies the files the code reads beside itself
// (Lua scripts, dashboard assets, the demo repository's history), so bin/ can start compiled
// JavaScript instead of transpiling TypeScript at every start. Run by `npm ci` (prepare) and
// `npm run build`. Plain JavaScript: it has to run before anything is built.
//
// It steps aside, saying why, when there is nothing it can build: no src/ yet (a Docker layer that
// installs dependencies before copying the sources) or no TypeScript (`npm ci --omit=dev`). bin/
// then runs the sources through tsx, as it does whenever dist/ is older than src/.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = path.join(root, 'src');
const outAt = process.argv.indexOf('--out');
const dist = outAt > 0 && process.argv[outAt + 1] ? path.resolve(process.argv[outAt + 1]) : path.join(root, 'dist');
const say = (line) => process.stderr.write(`build: ${line}\n`);

function typescriptCompiler() {
  try {
    return createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    return null;
  }
}

if (!existsSync(src)) {
  say('no src/ here yet, nothing to build');
  process.exit(0);
}
const tsc = typescriptCompiler();
if (!tsc) {
  say('TypeScript is not installed (a production install?); bin/ will run src/ through tsx');
  process.exit(0);
}

const started = Date.now();
// The stamp is written last: a build that fails halfway leaves no stamp, and bin/ ignores dist/.
rmSync(dist, { recursive: true, force: true });
// Types are checked by `npm run typecheck`; emitting without checking keeps `npm ci` short.
execFileSync(process.execPath, [tsc, '-p', path.join(root, 'tsconfig.build.json'), '--noCheck', '--outDir', dist], {
  stdio: 'inherit',
  cwd: root,
});
cpSync(src, dist, {
  recursive: true,
  filter: (from) => !from.endsWith('.ts') || from.includes(`${path.sep}repo-history${path.sep}`),
});
writeFileSync(path.join(dist, '.build-stamp'), `${new Date().toISOString()}\n`);
say(`compiled src/ to ${path.relative(root, dist) || dist} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
