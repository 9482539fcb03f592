import { stripInvisible } from '../../llm/invisible-characters.ts';
import { truncateText } from './block-limits.ts';

/**
 * Text from customers, error logs and model output is shown in Slack, where mrkdwn turns `<!channel>`
 * into a broadcast, `<@U…>` into a mention and `<http://evil|Approve>` into a link that reads as a
 * button label. Escaping &, < and > (Slack's own rule) makes every such control sequence literal text;
 * "@channel" typed plainly is defused too because some clients still highlight it. Invisible and bidi
 * characters are removed first so that nothing hides between the escapes.
 */

const BROADCAST_WORDS = /@(channel|here|everyone)\b/gi;

/** For mrkdwn fields: escapes Slack's control characters and defuses broadcast words. */
export function escapeMrkdwn(text: string): string {
  return (
    stripInvisible(text)
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      // U+FF20 (full-width at sign) reads as "@" but is never a mention.
      .replace(BROADCAST_WORDS, '\uFF20$1')
  );
}

/**
 * For text inside a ``` code block: escaped like any mrkdwn, and a ``` in the text cannot close the
 * block early (it would turn the rest into live formatting).
 */
export function escapeCodeBlock(text: string): string {
  return escapeMrkdwn(text).replace(/```/g, '`\u02CB`');
}

/**
 * plain_text (headers, button labels, modal titles) is not parsed for mentions or links, but the JSON we
 * send should hold no control sequence anywhere (a client or a copy into mrkdwn could revive it): angle
 * brackets become the look-alike ‹ › and broadcast words are defused, as in mrkdwn.
 */
export function cleanPlainText(text: string): string {
  return stripInvisible(text)
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/</g, '\u2039')
    .replace(/>/g, '\u203A')
    .replace(BROADCAST_WORDS, '\uFF20$1');
}

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,20}$/;

/**
 * How an actor is shown. Our own Slack actors (`slack:U123`) become a mention of that user: we
 * made the ID, so it is trusted. Anything else (`api:token-1`, `cli:alice`, `system`) is escaped text.
 */
export function showActor(actor: string): string {
  const id = actor.startsWith('slack:') ? actor.slice('slack:'.length) : '';
  if (SLACK_USER_ID.test(id)) return `<@${id}>`;
  return escapeMrkdwn(actor);
}

/** Escaped, then cut to `max`: the budget holds for the text Slack receives, whatever escaping added. */
export function clip(text: string, max: number): string {
  return truncateText(escapeMrkdwn(text), max);
}
