import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFileSlackState } from '../../../src/adapters/slack/state/file-slack-state.ts';
import { createRedisSlackState } from '../../../src/adapters/slack/state/redis-slack-state.ts';
import type { SlackStateStore } from '../../../src/adapters/slack/state/slack-state.ts';
import { probeRedis, useTestRedis } from '../../helpers/redis.ts';

const redisAvailable = await probeRedis();

function contract(name: string, make: () => Promise<SlackStateStore>, skip = false): void {
  describe.skipIf(skip)(`${name} Slack state`, () => {
    it('keeps one message ref per proposal and channel, the later one winning', async () => {
      const state = await make();
      await state.addMessageRef('p1', { channel: 'C1', ts: '1.1' });
      await state.addMessageRef('p1', { channel: 'C2', ts: '2.2' });
      await state.addMessageRef('p1', { channel: 'C1', ts: '1.3' });
      expect((await state.messageRefs('p1')).sort((a, b) => a.channel.localeCompare(b.channel))).toEqual([
        { channel: 'C1', ts: '1.3' },
        { channel: 'C2', ts: '2.2' },
      ]);
      expect(await state.messageRefs('unknown')).toEqual([]);
    });

    it('tells which proposal a message belongs to, so a reply in its thread is about that proposal', async () => {
      const state = await make();
      await state.addMessageRef('p1', { channel: 'C1', ts: '1.1' });
      await state.addMessageRef('p2', { channel: 'C1', ts: '1.2' });
      expect(await state.proposalAt({ channel: 'C1', ts: '1.1' })).toBe('p1');
      expect(await state.proposalAt({ channel: 'C1', ts: '1.2' })).toBe('p2');
      expect(await state.proposalAt({ channel: 'C2', ts: '1.1' })).toBeNull();
      expect(await state.proposalAt({ channel: 'C1', ts: '9.9' })).toBeNull();
    });

    it('subscribes and unsubscribes channels', async () => {
      const state = await make();
      await state.subscribe({ channel: 'CB', types: ['bug_fix'], minPriority: 'high' });
      expect(await state.subscriptions()).toEqual([{ channel: 'CB', types: ['bug_fix'], minPriority: 'high' }]);
      expect(await state.unsubscribe('CB')).toBe(true);
      expect(await state.unsubscribe('CB')).toBe(false);
      expect(await state.subscriptions()).toEqual([]);
    });

    it('remembers the digest message of each channel and day', async () => {
      const state = await make();
      expect(await state.digestMessage('C1', '2026-11-24')).toBeNull();
      await state.setDigestMessage('C1', '2026-11-24', '9.9');
      expect(await state.digestMessage('C1', '2026-11-24')).toBe('9.9');
      expect(await state.digestMessage('C1', '2026-11-25')).toBeNull();
    });

    it('grants a claim once, even to 20 concurrent claimants', async () => {
      const state = await make();
      const results = await Promise.all(Array.from({ length: 20 }, () => state.claimOnce('replay:abc', 60)));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await state.claimOnce('replay:other', 60)).toBe(true);
    });
  });
}

const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

contract('file', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'slack-state-'));
  dirs.push(dir);
  return createFileSlackState({ file: path.join(dir, 'state', 'slack.json') });
});

const shared = useTestRedis('slack-state');
let run = 0;
contract(
  'Redis',
  async () => createRedisSlackState({ redis: shared.redis, keyPrefix: `${shared.keyPrefix}${(run += 1)}:` }),
  !redisAvailable,
);

describe('the file state', () => {
  it('survives a restart: a new instance reads what the last one wrote', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'slack-state-'));
    dirs.push(dir);
    const file = path.join(dir, 'slack.json');
    const first = createFileSlackState({ file });
    await Promise.all([
      first.addMessageRef('p1', { channel: 'C1', ts: '1.1' }),
      first.subscribe({ channel: 'C9', types: [], minPriority: 'low' }),
    ]);
    const second = createFileSlackState({ file });
    expect(await second.messageRefs('p1')).toEqual([{ channel: 'C1', ts: '1.1' }]);
    expect(await second.subscriptions()).toHaveLength(1);
    expect(JSON.parse(await readFile(file, 'utf8'))).toHaveProperty('refs.p1.C1', '1.1');
  });
});
