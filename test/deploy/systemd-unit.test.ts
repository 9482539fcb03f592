import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const unitPath = path.join(root, 'scripts/improvement-loop.service');
const unit = readFileSync(unitPath, 'utf8');
const hasAnalyzer = spawnSync('systemd-analyze', ['--version'], { stdio: 'ignore' }).status === 0;

describe('scripts/improvement-loop.service', () => {
  it('limits the server, restarts it on failure and stops it gracefully', () => {
    for (const setting of ['MemoryMax=', 'CPUQuota=', 'Restart=on-failure', 'KillSignal=SIGTERM', 'TimeoutStopSec=']) {
      expect(unit).toContain(setting);
    }
  });

  it('documents the user, the folders and the install step, and uses the same ones', () => {
    const comments = unit
      .split('\n')
      .filter((l) => l.startsWith('#'))
      .join('\n');
    expect(comments).toMatch(/useradd --system .* improvement-loop/);
    expect(comments).toContain('install -d -o improvement-loop -g improvement-loop -m 750 /var/lib/improvement-loop');
    expect(comments).toContain('npm ci --omit=dev');
    expect(comments).toContain('/etc/improvement-loop/env');
    expect(comments).toContain('systemctl enable --now improvement-loop');
    expect(unit).toMatch(/^User=improvement-loop$/m);
    expect(unit).toMatch(/^WorkingDirectory=\/opt\/improvement-loop$/m);
    expect(unit).toMatch(/^ReadWritePaths=\/var\/lib\/improvement-loop$/m);
    expect(unit).toMatch(/^Environment=.*\bDATA_DIR=\/var\/lib\/improvement-loop\b/m);
  });

  it.skipIf(!hasAnalyzer)('passes systemd-analyze verify without a warning', () => {
    // verify checks that ExecStart's program exists: point it at this machine's node, wherever that is.
    const dir = mkdtempSync(path.join(tmpdir(), 'unit-'));
    try {
      writeFileSync(path.join(dir, 'improvement-loop.service'), unit.replace('ExecStart=/usr/bin/node ', `ExecStart=${process.execPath} `));
      const result = spawnSync('systemd-analyze', ['verify', path.join(dir, 'improvement-loop.service')], { encoding: 'utf8' });
      expect(result.status, result.stderr).toBe(0);
      expect(result.stderr.trim()).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
