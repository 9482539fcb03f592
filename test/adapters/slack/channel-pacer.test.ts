import { describe, expect, it } from 'vitest';
import { createChannelPacer } from '../../../src/adapters/slack/delivery/channel-pacer.ts';

describe('pacing posts per channel', () => {
  it('runs one channel’s posts in order and spaced, without making other channels wait', async () => {
    const pacer = createChannelPacer({ intervalMs: 100 });
    const started: { channel: string; n: number; at: number }[] = [];
    const t0 = Date.now();
    const post = (channel: string, n: number) => pacer.run(channel, async () => void started.push({ channel, n, at: Date.now() - t0 }));
    await Promise.all([post('A', 1), post('A', 2), post('A', 3), post('B', 1)]);
    const a = started.filter((s) => s.channel === 'A');
    expect(a.map((s) => s.n)).toEqual([1, 2, 3]);
    expect(a[1]!.at - a[0]!.at).toBeGreaterThanOrEqual(95);
    expect(a[2]!.at - a[1]!.at).toBeGreaterThanOrEqual(95);
    expect(started.find((s) => s.channel === 'B')!.at).toBeLessThan(a[1]!.at);
  });

  it('keeps going after a failed post: one failure never blocks the channel', async () => {
    const pacer = createChannelPacer({ intervalMs: 0 });
    const failed = pacer.run('A', async () => {
      throw new Error('channel_not_found');
    });
    await expect(failed).rejects.toThrow('channel_not_found');
    await expect(pacer.run('A', async () => 'posted')).resolves.toBe('posted');
  });
});
