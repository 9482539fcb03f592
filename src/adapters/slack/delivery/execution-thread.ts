import type { Proposal } from '../../../domain/proposal.ts';
import type { ExecutionStep } from '../../../ports/notifier.ts';
import { context, section } from '../views/block-builders.ts';
import { truncateText } from '../views/block-limits.ts';
import type { SlackMessage } from '../views/proposal-message.ts';
import { clip, escapeCodeBlock, showActor } from '../views/untrusted-text.ts';
import { pullRequestLine } from '../views/pull-request-line.ts';

/**
 * The one reply in the proposal's thread that follows a run (an execution or a rollback): posted when
 * it starts, edited in place at each step, and edited a last time into its outcome. Progress and
 * results stay out of the channel's main flow, and one run is one message, not one per step.
 */
export interface ThreadRun {
  kind: 'execution' | 'rollback';
  /** Who started it, when known (a rollback's steps arrive before its stored change names the actor). */
  actor?: string;
  /** The branch an execution works on, known from its start. */
  branch?: string;
  steps: ExecutionStep[];
}

/** The steps a message lists; an execution has about eight, a long one keeps its latest. */
const STEPS_SHOWN = 12;

function stepLine(step: ExecutionStep): string {
  return `*${clip(step.stage, 50)}*${step.detail ? ` ${clip(step.detail, 200)}` : ''}`;
}

function stepsBlock(steps: ExecutionStep[], done: boolean): ReturnType<typeof context> | null {
  if (!steps.length) return null;
  const shown = steps.slice(-STEPS_SHOWN);
  const lines = shown.map((step, i) => `${done || i < shown.length - 1 ? ':heavy_check_mark:' : ':arrow_forward:'} ${stepLine(step)}`);
  if (steps.length > shown.length) lines.unshift(`…${steps.length - shown.length} earlier steps`);
  return context(truncateText(lines.join('\n'), 1000));
}

/** While the run goes on: what it is, who started it, the steps so far (the last one running). */
export function renderRunInProgress(run: ThreadRun): SlackMessage {
  const what = run.kind === 'rollback' ? ':leftwards_arrow_with_hook: *Rolling back*' : ':gear: *Executing*';
  const by = `${run.branch ? ` on \`${clip(run.branch, 200)}\`` : ''}${run.actor ? ` (started by ${showActor(run.actor)})` : ''}`;
  const steps = stepsBlock(run.steps, false);
  const current = run.steps.at(-1);
  return {
    text: truncateText(`${run.kind === 'rollback' ? 'Rolling back' : 'Executing'}${current ? `: ${current.stage}` : ''}`, 300),
    blocks: [section(`${what}${by}`), ...(steps ? [steps] : [])],
  };
}

/**
 * The outcome: tests, diffstat, branch and commit for a change made; for a failure a red cross, the
 * error and the tail of its output, never a success mark; who rolled back and why.
 */
export function renderExecutionReply(proposal: Proposal, action: string, actor: string, steps: ExecutionStep[] = []): SlackMessage | null {
  const run = proposal.execution ?? {};
  const stepList = stepsBlock(steps, true);
  if (action === 'execution_started')
    return renderRunInProgress({ kind: 'execution', actor, steps, ...(run.branch ? { branch: run.branch } : {}) });
  if (action === 'implemented') {
    const lines = [
      ':rocket: *Implemented*',
      run.testSummary ? `*Tests:* ${clip(run.testSummary, 300)}` : undefined,
      run.branch ? `*Branch:* \`${clip(run.branch, 200)}\`` : undefined,
      run.commit ? `*Commit:* \`${clip(run.commit, 64)}\`` : undefined,
    ].filter(Boolean);
    const blocks = [section(lines.join('\n'))];
    if (run.diffstat) blocks.push(section(`\`\`\`${escapeCodeBlock(truncateText(run.diffstat, 2000))}\`\`\``));
    return { text: `Implemented${run.branch ? ` on ${run.branch}` : ''}`, blocks: [...blocks, ...(stepList ? [stepList] : [])] };
  }
  if (action === 'execution_failed') {
    const blocks = [section(`:x: *Execution failed*${run.error ? `\n${clip(run.error, 800)}` : ''}`)];
    // The tail is what explains a failure; keep the end of the output, not the start.
    const tail = run.outputTail ? run.outputTail.slice(-2400) : '';
    if (tail) blocks.push(section(`\`\`\`${escapeCodeBlock(tail).slice(-2700)}\`\`\``));
    return {
      text: `Execution failed${run.error ? `: ${truncateText(run.error, 200)}` : ''}`,
      blocks: [...blocks, ...(stepList ? [stepList] : [])],
    };
  }
  if (action === 'rolled_back') {
    return {
      text: 'Rolled back',
      blocks: [
        section(`:leftwards_arrow_with_hook: *Rolled back* by ${showActor(actor)}`),
        context(clip(proposal.history.at(-1)?.reason ?? '', 500)),
        ...(stepList ? [stepList] : []),
      ],
    };
  }
  return renderPullRequestReply(proposal, action);
}

/** Pull-request news: opened, checks, reviews, merged; the history entry's reason says what happened. */
export const PULL_REQUEST_REPLIES: Record<string, { emoji: string; title: string }> = {
  pull_request_opened: { emoji: ':arrow_heading_up:', title: 'Pull request opened' },
  pull_request_updated: { emoji: ':arrow_heading_up:', title: 'Pull request updated' },
  pull_request_failed: { emoji: ':warning:', title: 'The pull request could not be opened' },
  pull_request_reopened: { emoji: ':arrows_counterclockwise:', title: 'Pull request reopened' },
  checks_completed: { emoji: ':traffic_light:', title: 'Checks finished' },
  review_submitted: { emoji: ':eyes:', title: 'Review' },
  review_comment: { emoji: ':speech_balloon:', title: 'Review comment' },
  merged: { emoji: ':twisted_rightwards_arrows:', title: 'Merged' },
  revised: { emoji: ':pencil2:', title: 'Patch revised' },
  revision_failed: { emoji: ':warning:', title: 'The revision was not applied' },
};

export function renderPullRequestReply(proposal: Proposal, action: string): SlackMessage | null {
  const reply = PULL_REQUEST_REPLIES[action];
  if (!reply) return null;
  const last = proposal.history.at(-1);
  const lines = [`${reply.emoji} *${reply.title}*${last?.reason ? ` ${clip(last.reason, 1500)}` : ''}`];
  if (proposal.pullRequest) lines.push(pullRequestLine(proposal.pullRequest));
  return { text: reply.title, blocks: [section(lines.join('\n'))] };
}
