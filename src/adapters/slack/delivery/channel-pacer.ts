/**
 * One queue per channel. Slack allows about one message per second per channel for chat.postMessage;
 * sending faster earns 429s, and bursts reorder messages. Work for a channel runs one at a time,
 * each at least `intervalMs` after the previous one started; channels do not wait for each other.
 * Retrying a 429 after Retry-After is the Web API client's job (it pauses its own queue), not ours.
 */
export function createChannelPacer(options: { intervalMs: number }) {
  const tails = new Map<string, Promise<unknown>>();
  const lastStart = new Map<string, number>();

  function run<T>(channel: string, work: () => Promise<T>): Promise<T> {
    const previous = tails.get(channel) ?? Promise.resolve();
    const next = previous.then(async () => {
      const wait = (lastStart.get(channel) ?? 0) + options.intervalMs - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      lastStart.set(channel, Date.now());
      return work();
    });
    const settled = next.catch(() => undefined);
    tails.set(channel, settled);
    // Forget idle channels so the maps do not grow with every channel ever used.
    void settled.then(() => {
      if (tails.get(channel) === settled) {
        tails.delete(channel);
        setTimeout(() => {
          if (!tails.has(channel)) lastStart.delete(channel);
        }, options.intervalMs).unref();
      }
    });
    return next;
  }

  return { run };
}

export type ChannelPacer = ReturnType<typeof createChannelPacer>;
