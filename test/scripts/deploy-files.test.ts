import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

describe('the deployment files', () => {
  it('install the seed schedule, hourly auto-execution included, as cron lines that call the CLI with log files', () => {
    const lines = execFileSync('bash', [path.join(root, 'scripts/setup-cron.sh'), '--dry-run'], {
      env: { PATH: process.env.PATH ?? '', APP_DIR: '/opt/il', LOG_DIR: '/var/log/il', NODE: '/usr/bin/node' },
      encoding: 'utf8',
    })
      .trim()
      .split('\n');
    expect(lines.map((l) => l.split(' ').slice(0, 5).join(' '))).toEqual(['0 2 * * *', '0 6 * * 1', '0 8 1 * *', '30 * * * *']);
    expect(lines.map((l) => /bin\/improvement-loop\.js (cycle --type=\w+|auto-execute)/.exec(l)?.[1])).toEqual([
      'cycle --type=daily',
      'cycle --type=weekly',
      'cycle --type=monthly',
      'auto-execute',
    ]);
    for (const line of lines) {
      expect(line).toContain('cd /opt/il && /usr/bin/node bin/improvement-loop.js');
      expect(line).toMatch(/>> \/var\/log\/il\/[\w-]+\.log 2>> \/var\/log\/il\/[\w-]+-error\.log # improvement-loop$/);
    }
  });

  it('limit the systemd service and restart it on failure, and catch up a missed timer run once', () => {
    const service = read('scripts/improvement-loop.service');
    for (const setting of [
      'MemoryMax=',
      'CPUQuota=',
      'Restart=on-failure',
      'KillSignal=SIGTERM',
      'ExecStart=/usr/bin/node bin/improvement-loop.js serve',
    ]) {
      expect(service).toContain(setting);
    }
    const timer = read('scripts/improvement-loop.timer');
    expect(timer).toContain('OnCalendar=*-*-* 02:00:00');
    expect(timer).toContain('Persistent=true');
    expect(read('scripts/improvement-loop-cycle.service')).toContain('ExecStart=/usr/bin/node bin/improvement-loop.js cycle --type=daily');
  });

  it('build an image that serves on 0.0.0.0 and checks /healthz', () => {
    const dockerfile = read('Dockerfile');
    expect(dockerfile).toMatch(/^FROM node:20/m);
    expect(dockerfile).toContain('npm ci --omit=dev');
    expect(dockerfile).toContain('HOST=0.0.0.0');
    expect(dockerfile).toContain('/healthz');
    expect(dockerfile).toContain('CMD ["node", "bin/improvement-loop.js", "serve"]');
  });
});
