import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

/** The deployment files and the documents they send a reader to. */
const FILES = ['manifest.yml', 'Dockerfile', 'compose.yaml', 'scripts/improvement-loop.service', 'scripts/setup-cron.sh', 'docs/SLACK.md'];

describe('the deployment files', () => {
  it('point only to documents and files that exist', () => {
    const missing: string[] = [];
    for (const file of FILES) {
      const text = readFileSync(path.join(root, file), 'utf8');
      const dir = path.dirname(path.join(root, file));
      // Repository paths named in the text (docs/X.md, scripts/x.service), and Markdown links.
      const named = [...text.matchAll(/\b((?:docs|scripts)\/[\w.-]+\.(?:md|service|sh|timer))\b/g)].map((m) => path.join(root, m[1]!));
      const linked = [...text.matchAll(/\]\((?!https?:|#)([^)#\s]+)/g)].map((m) => path.resolve(dir, m[1]!));
      for (const target of [...named, ...linked]) if (!existsSync(target)) missing.push(`${file} → ${path.relative(root, target)}`);
    }
    expect(missing).toEqual([]);
  });

  it('document in docs/SLACK.md each part of the app manifest.yml declares', () => {
    const slack = readFileSync(path.join(root, 'docs/SLACK.md'), 'utf8');
    for (const topic of [
      'From an app manifest',
      'SLACK_BOT_TOKEN',
      'SLACK_SIGNING_SECRET',
      'SLACK_APP_TOKEN',
      'connections:write',
      'socket_mode_enabled: true',
      '/slack/events',
      'interactivity.request_url',
      'app_home_opened',
      '/improve',
    ])
      expect(slack, topic).toContain(topic);
    const manifest = readFileSync(path.join(root, 'manifest.yml'), 'utf8');
    for (const scope of [...manifest.matchAll(/^\s+- ([a-z]+:[a-z]+|commands)$/gm)].map((m) => m[1]!))
      expect(slack, scope).toContain(`\`${scope}\``);
  });
});
