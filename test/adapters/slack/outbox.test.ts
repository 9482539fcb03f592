import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileSlackState } from '../../../src/adapters/slack/state/file-slack-state.ts';
import { createSlackSurface } from '../../../src/adapters/slack/slack-surface.ts';
import type { SlackSurface } from '../../../src/adapters/slack/surface.ts';
import { createEmbeddedStore } from '../../../src/adapters/store/embedded/embedded-store.ts';
import type { ProposalStore } from '../../../src/ports/store.ts';
import { createDecisions } from '../../../src/proposals/decisions.ts';
import { makeDraft } from '../../helpers/drafts.ts';

describe('without Slack tokens (the local demo)', () => {
  let dir: string;
  let store: ProposalStore;
  let surface: SlackSurface;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'slack-outbox-'));
    store = createEmbeddedStore({ file: path.join(dir, 'store.sqlite') });
    const logger = pino({ level: 'silent' });
    surface = createSlackSurface({
      settings: undefined,
      outboxDir: path.join(dir, 'outbox'),
      store,
      decisions: createDecisions({ store, logger }),
      state: createFileSlackState({ file: path.join(dir, 'slack-state.json') }),
      logger,
    });
  });
  afterAll(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const outbox = async () => {
    const names = (await readdir(path.join(dir, 'outbox'))).sort();
    return Promise.all(names.map(async (name) => ({ name, content: JSON.parse(await readFile(path.join(dir, 'outbox', name), 'utf8')) })));
  };

  it('says Slack is off in its mode and serves no HTTP route', () => {
    expect(surface.mode).toMatch(/^off \(no SLACK_BOT_TOKEN/);
    expect(surface.handler).toBeUndefined();
  });

  it('writes the same Block Kit messages as JSON files, an update naming the posted message', async () => {
    const proposal = await store.create(makeDraft({ title: 'Outbox proposal' }), { actor: 'system' });
    await surface.notifier.proposalChanged(proposal, { action: 'created', actor: 'system' });
    const approved = await store.transition({ id: proposal.id, to: 'approved', actor: 'cli:ana', idempotencyKey: 'k1' });
    await surface.notifier.proposalChanged(approved.proposal, { action: 'approved', actor: 'cli:ana' });
    await surface.postDigest(new Date());
    const files = await outbox();
    expect(files.map((f) => f.content.method)).toEqual(['chat.postMessage', 'chat.update', 'chat.postMessage']);
    const [post, update] = files;
    expect(post?.content.text).toContain('Outbox proposal');
    expect(post?.content.blocks[0]).toMatchObject({ type: 'header' });
    expect(update?.content.ts).toBe(post?.content.ts);
    expect(JSON.stringify(update?.content.blocks)).toContain('Approved* by cli:ana');
    expect(files[2]?.content.text).toMatch(/^Improvement digest/);
    expect(files.every((f) => f.name.endsWith('.json'))).toBe(true);
  });
});
