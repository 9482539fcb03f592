import type { PullRequestLink } from '../../../domain/proposal.ts';
import { clip, escapeMrkdwn } from './untrusted-text.ts';

/** A link Slack can show: only http(s) URLs, and no character that would end the `<url|label>` early. */
export function safeLink(url: string, label: string): string {
  if (!/^https?:\/\/[^\s<>|]+$/.test(url)) return escapeMrkdwn(label);
  return `<${url}|${escapeMrkdwn(label)}>`;
}

/** "Pull request #7 · open · checks: test: success · review: approved", for the message and the thread. */
export function pullRequestLine(pr: PullRequestLink): string {
  const parts = [
    `${pr.host === 'gitlab' ? 'Merge request' : 'Pull request'} ${safeLink(pr.url, `#${pr.number}`)}`,
    escapeMrkdwn(pr.state),
    pr.checks ? `checks: ${clip(pr.checks, 200)}` : undefined,
    pr.review ? `review: ${clip(pr.review.replace('_', ' '), 50)}` : undefined,
  ].filter(Boolean);
  return parts.join(' · ');
}
