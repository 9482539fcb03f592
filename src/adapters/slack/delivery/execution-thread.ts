import type { Proposal } from '../../../domain/proposal.ts';
import type { ExecutionStep } from '../../../ports/notifier.ts';
import { context, section } from '../views/block-builders.ts';
import { truncateText } from '../views/block-limits.ts';
import type { SlackMessage } from '../views/proposal-message.ts';
import { clip, escapeCodeBlock, showActor } from '../views/untrusted-text.ts';
import { pullRequestLine } from '../views/pull-request-line.ts';

/** Replies in the proposal's thread: progress and results stay out of the channel's main flow. */

export function renderProgressReply(step: ExecutionStep): SlackMessage {
  const line = `:arrow_forward: *${clip(step.stage, 50)}*${step.detail ? ` ${clip(step.detail, 500)}` : ''}`;
  return { text: truncateText(`${step.stage}${step.detail ? `: ${step.detail}` : ''}`, 300), blocks: [section(line)] };
}

/** The outcome of an execution: tests, diffstat, branch and commit, or the tail of the failure. */
export function renderExecutionReply(proposal: Proposal, action: string, actor: string): SlackMessage | null {
  const run = proposal.execution ?? {};
  if (action === 'execution_started') {
    const text = `Execution started by ${showActor(actor)}`;
    return { text: 'Execution started', blocks: [section(`:gear: ${text}`)] };
  }
  if (action === 'implemented') {
    const lines = [
      ':rocket: *Implemented*',
      run.testSummary ? `*Tests:* ${clip(run.testSummary, 300)}` : undefined,
      run.branch ? `*Branch:* \`${clip(run.branch, 200)}\`` : undefined,
      run.commit ? `*Commit:* \`${clip(run.commit, 64)}\`` : undefined,
    ].filter(Boolean);
    const blocks = [section(lines.join('\n'))];
    if (run.diffstat) blocks.push(section(`\`\`\`${escapeCodeBlock(truncateText(run.diffstat, 2000))}\`\`\``));
    return { text: `Implemented${run.branch ? ` on ${run.branch}` : ''}`, blocks };
  }
  if (action === 'execution_failed') {
    const blocks = [section(`:x: *Execution failed*${run.error ? `\n${clip(run.error, 800)}` : ''}`)];
    // The tail is what explains a failure; keep the end of the output, not the start.
    const tail = run.outputTail ? run.outputTail.slice(-2400) : '';
    if (tail) blocks.push(section(`\`\`\`${escapeCodeBlock(tail).slice(-2700)}\`\`\``));
    return { text: 'Execution failed', blocks };
  }
  if (action === 'rolled_back') {
    return {
      text: 'Rolled back',
      blocks: [
        section(`:leftwards_arrow_with_hook: Rolled back by ${showActor(actor)}`),
        context(clip(proposal.history.at(-1)?.reason ?? '', 500)),
      ],
    };
  }
  return renderPullRequestReply(proposal, action);
}

/** Pull-request news: opened, checks, reviews, merged; the history entry's reason says what happened. */
const PULL_REQUEST_REPLIES: Record<string, { emoji: string; title: string }> = {
  pull_request_opened: { emoji: ':arrow_heading_up:', title: 'Pull request opened' },
  pull_request_updated: { emoji: ':arrow_heading_up:', title: 'Pull request updated' },
  pull_request_failed: { emoji: ':warning:', title: 'The pull request could not be opened' },
  pull_request_reopened: { emoji: ':arrows_counterclockwise:', title: 'Pull request reopened' },
  checks_completed: { emoji: ':traffic_light:', title: 'Checks finished' },
  review_submitted: { emoji: ':eyes:', title: 'Review' },
  review_comment: { emoji: ':speech_balloon:', title: 'Review comment' },
  merged: { emoji: ':twisted_rightwards_arrows:', title: 'Merged' },
};

function renderPullRequestReply(proposal: Proposal, action: string): SlackMessage | null {
  const reply = PULL_REQUEST_REPLIES[action];
  if (!reply) return null;
  const last = proposal.history.at(-1);
  const lines = [`${reply.emoji} *${reply.title}*${last?.reason ? ` ${clip(last.reason, 1500)}` : ''}`];
  if (proposal.pullRequest) lines.push(pullRequestLine(proposal.pullRequest));
  return { text: reply.title, blocks: [section(lines.join('\n'))] };
}
