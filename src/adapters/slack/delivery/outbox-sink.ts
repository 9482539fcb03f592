import { randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { MessageSink } from './message-sink.ts';

/**
 * Slack off (no SLACK_BOT_TOKEN): each message is written as a JSON file a person can paste into
 * Slack's Block Kit Builder (`{"blocks": …}` is what the builder takes; `text` and the target ride
 * along). Files are written to a temp name and renamed, so a reader never sees half a file.
 */
export function createOutboxSink(options: { dir: string; now?: () => Date }): MessageSink {
  const now = options.now ?? (() => new Date());
  let sequence = 0;

  async function write(name: string, content: unknown): Promise<void> {
    await mkdir(options.dir, { recursive: true });
    const file = path.join(options.dir, name);
    const temp = `${file}.tmp`;
    await writeFile(temp, `${JSON.stringify(content, null, 2)}\n`);
    await rename(temp, file);
  }

  function stamp(): string {
    sequence += 1;
    return `${now().toISOString().replace(/[:.]/g, '-')}-${String(sequence).padStart(4, '0')}`;
  }

  return {
    kind: 'outbox',
    async post(channel, message, opts = {}) {
      // A made-up ts, unique and shaped like Slack's, so updates and threads can name the message.
      const ts = `${Math.floor(now().getTime() / 1000)}.${randomBytes(3).readUIntBE(0, 3).toString().padStart(6, '0')}`;
      const kind = opts.threadTs ? 'reply' : 'post';
      await write(`${stamp()}-${kind}-${safe(channel)}.json`, {
        method: 'chat.postMessage',
        channel,
        ts,
        ...(opts.threadTs ? { thread_ts: opts.threadTs } : {}),
        text: message.text,
        blocks: message.blocks,
      });
      return { channel, ts };
    },
    async update(ref, message) {
      await write(`${stamp()}-update-${safe(ref.channel)}.json`, {
        method: 'chat.update',
        channel: ref.channel,
        ts: ref.ts,
        text: message.text,
        blocks: message.blocks,
      });
    },
  };
}

function safe(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 40);
}
