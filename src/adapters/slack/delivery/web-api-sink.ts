import type { WebClient } from '@slack/web-api';
import type { ChannelPacer } from './channel-pacer.ts';
import type { MessageSink } from './message-sink.ts';

/**
 * Posts through the Web API, paced per channel. Untrusted text is escaped by the renderers; `parse:
 * 'none'` and `link_names: false` make sure Slack adds no mentions or links of its own on top.
 */
export function createWebApiSink(client: WebClient, pacer: ChannelPacer): MessageSink {
  return {
    kind: 'slack',
    async post(channel, message, options = {}) {
      const answer = await pacer.run(channel, () =>
        client.chat.postMessage({
          channel,
          text: message.text,
          blocks: message.blocks,
          parse: 'none',
          link_names: false,
          unfurl_links: false,
          unfurl_media: false,
          ...(options.threadTs ? { thread_ts: options.threadTs, reply_broadcast: false } : {}),
        }),
      );
      if (!answer.ts || !answer.channel) throw new Error('chat.postMessage answered without channel and ts');
      return { channel: answer.channel, ts: answer.ts };
    },
    async update(ref, message) {
      await pacer.run(ref.channel, () =>
        client.chat.update({
          channel: ref.channel,
          ts: ref.ts,
          text: message.text,
          blocks: message.blocks,
          parse: 'none',
          link_names: false,
        }),
      );
    },
  };
}
