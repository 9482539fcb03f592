import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ChannelSubscription, MessageRef, SlackStateStore } from './slack-state.ts';

interface FileShape {
  refs: Record<string, Record<string, string>>;
  subscriptions: Record<string, ChannelSubscription>;
  digests: Record<string, string>;
}

/** Message refs beyond this many proposals are forgotten oldest first (their messages just stop updating). */
const MAX_REFS = 5000;

/**
 * Slack state for the embedded store: one JSON file under DATA_DIR, rewritten through a temp file and
 * a rename so a crash leaves the old or the new file, never half of one. Claims (replay dedupe) live
 * in memory: the embedded store serves one process, and a restart outlives Slack's 5-minute window.
 */
export function createFileSlackState(options: { file: string; now?: () => number }): SlackStateStore {
  const now = options.now ?? Date.now;
  const claims = new Map<string, number>();
  let cached: FileShape | undefined;
  let writing: Promise<void> = Promise.resolve();

  async function load(): Promise<FileShape> {
    if (cached) return cached;
    try {
      const parsed = JSON.parse(await readFile(options.file, 'utf8')) as Partial<FileShape>;
      cached = { refs: parsed.refs ?? {}, subscriptions: parsed.subscriptions ?? {}, digests: parsed.digests ?? {} };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      cached = { refs: {}, subscriptions: {}, digests: {} };
    }
    return cached;
  }

  /** Changes run one at a time, each followed by an atomic rewrite of the file. */
  function change(mutate: (state: FileShape) => void): Promise<void> {
    const next = writing.then(async () => {
      const state = await load();
      mutate(state);
      await mkdir(path.dirname(options.file), { recursive: true });
      const temp = `${options.file}.${process.pid}.tmp`;
      await writeFile(temp, JSON.stringify(state));
      await rename(temp, options.file);
    });
    writing = next.catch(() => undefined);
    return next;
  }

  return {
    async messageRefs(proposalId) {
      const refs = (await load()).refs[proposalId] ?? {};
      return Object.entries(refs).map(([channel, ts]): MessageRef => ({ channel, ts }));
    },
    addMessageRef: (proposalId, ref) =>
      change((state) => {
        state.refs[proposalId] = { ...state.refs[proposalId], [ref.channel]: ref.ts };
        const ids = Object.keys(state.refs);
        for (const old of ids.slice(0, Math.max(0, ids.length - MAX_REFS))) delete state.refs[old];
      }),
    async proposalAt(ref) {
      const refs = (await load()).refs;
      for (const [proposalId, byChannel] of Object.entries(refs)) if (byChannel[ref.channel] === ref.ts) return proposalId;
      return null;
    },
    async subscriptions() {
      return Object.values((await load()).subscriptions);
    },
    subscribe: (subscription) => change((state) => void (state.subscriptions[subscription.channel] = subscription)),
    async unsubscribe(channel) {
      let had = false;
      await change((state) => {
        had = channel in state.subscriptions;
        delete state.subscriptions[channel];
      });
      return had;
    },
    async digestMessage(channel, day) {
      return (await load()).digests[`${channel}:${day}`] ?? null;
    },
    setDigestMessage: (channel, day, ts) =>
      change((state) => {
        state.digests[`${channel}:${day}`] = ts;
        // Only recent days matter: the digest edits today's message.
        for (const k of Object.keys(state.digests).sort().slice(0, -60)) delete state.digests[k];
      }),
    async claimOnce(claim, ttlSeconds) {
      const t = now();
      for (const [k, until] of claims) if (until <= t) claims.delete(k);
      if ((claims.get(claim) ?? 0) > t) return false;
      claims.set(claim, t + ttlSeconds * 1000);
      return true;
    },
  };
}
