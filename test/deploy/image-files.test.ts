import { execFile, execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
const run = promisify(execFile);

/** A Dockerfile's instructions, with `\` continuations joined and comments dropped. */
function instructions(dockerfile: string): string[] {
  return dockerfile
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((line) => line.trim() && !line.trimStart().startsWith('#'));
}

const dockerAnswers = (() => {
  try {
    execFileSync('docker', ['info'], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
})();

describe('the image', () => {
  const dockerfile = read('Dockerfile');
  const healthcheck = instructions(dockerfile).find((i) => i.startsWith('HEALTHCHECK'));
  const probe = /\bCMD (.+)$/.exec(healthcheck ?? '')?.[1];
  // Two servers on free ports: one healthy, one not. The probe must ask the one PORT names.
  let healthy: Server;
  let sick: Server;
  const portOf = (s: Server) => String((s.address() as AddressInfo).port);
  const listen = (status: number) =>
    new Promise<Server>((resolve) => {
      const s = createServer((req, res) => res.writeHead(req.url === '/healthz' ? status : 404).end());
      s.listen(0, '127.0.0.1', () => resolve(s));
    });
  beforeAll(async () => {
    [healthy, sick] = await Promise.all([listen(200), listen(503)]);
  });
  afterAll(() => {
    healthy?.close();
    sick?.close();
  });
  /** Docker runs a shell-form HEALTHCHECK as `/bin/sh -c` in the container's environment. */
  const probeWith = (port: string) =>
    run('/bin/sh', ['-c', probe!], { env: { PATH: process.env.PATH ?? '', PORT: port }, timeout: 10_000 }).then(
      () => 0,
      (error: { code?: number }) => error.code ?? -1,
    );

  it('serves on 0.0.0.0 from a production install and starts the server', () => {
    expect(dockerfile).toMatch(/^FROM node:20/m);
    expect(dockerfile).toContain('npm ci --omit=dev');
    expect(dockerfile).toContain('HOST=0.0.0.0');
    expect(dockerfile).toContain('CMD ["node", "bin/improvement-loop.js", "serve"]');
  });

  it('checks /healthz on the port PORT names, not on a fixed one', async () => {
    expect(probe).toContain('process.env.PORT');
    expect(probe).not.toMatch(/:4002\b/);
    expect(await probeWith(portOf(healthy))).toBe(0);
    expect(await probeWith(portOf(sick))).toBe(1);
  });

  it('sends no node_modules, .git or .env as build context, and everything the Dockerfile copies', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const entry of ['node_modules', '.git', '.env']) expect(ignored).toContain(entry);
    const copied = instructions(dockerfile)
      .filter((i) => i.startsWith('COPY '))
      .flatMap((i) => i.split(/\s+/).slice(1, -1))
      .map((source) => source.replace(/\*$/, ''));
    expect(copied).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'bin', 'src', 'scripts']));
    for (const source of copied) expect(ignored, source).not.toContain(source);
  });

  it.skipIf(!dockerAnswers)('builds, when a Docker daemon answers', { timeout: 900_000 }, async () => {
    const { stdout } = await run('docker', ['build', '-q', '-t', 'improvement-loop:test', root], { timeout: 900_000 });
    expect(stdout.trim()).toMatch(/^sha256:/);
  });
});

describe('compose.yaml', () => {
  const compose = read('compose.yaml');
  /** One service's block: from `  name:` to the next line indented two spaces or less. */
  const service = (name: string) => new RegExp(`^  ${name}:\\n((?:(?:    .*)?\\n)+)`, 'm').exec(compose)?.[1] ?? '';

  it('runs Redis with AOF on and no eviction, on a volume, and starts the app once Redis answers', () => {
    const redis = service('redis');
    expect(redis).toMatch(/image: redis:/);
    expect(redis).toMatch(/"--appendonly", "yes"/);
    expect(redis).toMatch(/"--maxmemory-policy", "noeviction"/);
    expect(redis).toMatch(/- redis-data:\/data/);
    expect(service('improvement-loop')).toMatch(/redis:\n\s+condition: service_healthy/);
  });

  it('gives the app the settings file, this Redis, DATA_DIR on a volume and one PORT for listening and publishing', () => {
    const app = service('improvement-loop');
    expect(app).toMatch(/env_file:\n\s+- path: \.env/);
    expect(app).toMatch(/REDIS_URL: redis:\/\/redis:6379/);
    expect(app).toMatch(/DATA_DIR: \/data/);
    expect(app).toMatch(/- il-data:\/data/);
    expect(app).toMatch(/HOST: 0\.0\.0\.0/);
    expect(app).toMatch(/PORT: \$\{PORT:-4002\}/);
    expect(app).toMatch(/- "\$\{PORT:-4002\}:\$\{PORT:-4002\}"/);
    expect(compose).toMatch(/^volumes:\n  il-data:\n  redis-data:/m);
  });
});
