import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HELP_TEXT } from '../../../src/adapters/slack/views/help-message.ts';

const manifest = await readFile(path.join(import.meta.dirname, '../../../manifest.yml'), 'utf8');

/** The manifest and the code must agree, or the app a user creates from it cannot reach the service. */
describe('manifest.yml', () => {
  it('sends the slash command, interactivity and events to the one route the service serves', () => {
    const urls = [...manifest.matchAll(/^\s*(?:url|request_url): (\S+)$/gm)].map((m) => m[1]);
    expect(urls).toHaveLength(3);
    for (const url of urls) expect(new URL(url!).pathname).toBe('/slack/events');
  });

  it('declares the command the help documents, the Home tab and its event, and the scopes the calls need', () => {
    expect(manifest).toMatch(/^\s*- command: \/improve$/m);
    expect(HELP_TEXT).toContain('/improve');
    expect(manifest).toMatch(/home_tab_enabled: true/);
    expect(manifest).toMatch(/bot_events:\s*\n\s*- app_home_opened/);
    for (const scope of ['chat:write', 'commands', 'usergroups:read', 'users:read'])
      expect(manifest).toMatch(new RegExp(`^\\s*- ${scope}$`, 'm'));
    expect(manifest).toMatch(/socket_mode_enabled: (true|false)/);
  });

  it('turns on the assistant: its view, the scopes its calls need, and the events it answers', () => {
    expect(manifest).toMatch(/^\s*assistant_view:\n\s+assistant_description: \S/m);
    for (const scope of ['assistant:write', 'app_mentions:read', 'im:history', 'channels:history', 'files:write'])
      expect(manifest).toMatch(new RegExp(`^\\s*- ${scope}$`, 'm'));
    const events = /bot_events:\n((?:\s+- \S+\n)+)/
      .exec(manifest)![1]!
      .match(/- (\S+)/g)!
      .map((e) => e.slice(2));
    expect(events).toEqual(
      expect.arrayContaining([
        'assistant_thread_started',
        'assistant_thread_context_changed',
        'app_mention',
        'message.im',
        'message.channels',
      ]),
    );
  });
});
