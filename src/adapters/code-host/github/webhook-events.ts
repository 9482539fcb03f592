import { z } from 'zod';
import { ValidationError } from '../../../domain/errors.ts';
import type { CodeHostEvent } from '../../../ports/code-host.ts';

/**
 * GitHub webhook payloads (docs.github.com, "Webhook events and payloads") reduced to the events a
 * proposal follows. Only the fields read are checked; GitHub adds fields freely.
 */

const user = z.object({ login: z.string(), id: z.number().optional(), type: z.string().optional() }).nullable().optional();
const pullRequest = z.object({
  number: z.number().int().positive(),
  html_url: z.string(),
  state: z.enum(['open', 'closed']),
  merged: z.boolean().nullable().optional(),
  merged_at: z.string().nullable().optional(),
  head: z.object({ ref: z.string(), sha: z.string() }),
});
const conclusion = z.string().nullable().optional();

const schemas = {
  pull_request: z.object({ action: z.string(), pull_request: pullRequest, sender: user }),
  pull_request_review: z.object({
    action: z.string(),
    review: z.object({ state: z.string(), body: z.string().nullable().optional(), user }),
    pull_request: pullRequest,
  }),
  pull_request_review_comment: z.object({
    action: z.string(),
    comment: z.object({ body: z.string(), path: z.string(), line: z.number().nullable().optional(), user }),
    pull_request: pullRequest,
  }),
  // A comment on the conversation of an issue or a pull request; `issue.pull_request` is there only for pull requests.
  issue_comment: z.object({
    action: z.string(),
    issue: z.object({ number: z.number().int().positive(), pull_request: z.object({ url: z.string().optional() }).nullable().optional() }),
    comment: z.object({ body: z.string(), user }),
  }),
  check_suite: z.object({
    action: z.string(),
    check_suite: z.object({
      head_branch: z.string().nullable(),
      status: z.string().nullable(),
      conclusion,
      app: z.object({ name: z.string() }).nullable().optional(),
    }),
  }),
  check_run: z.object({
    action: z.string(),
    check_run: z.object({
      name: z.string(),
      status: z.string(),
      conclusion,
      check_suite: z.object({ head_branch: z.string().nullable() }),
    }),
  }),
};

export type FollowedGitHubEvent = keyof typeof schemas;

export function isFollowedEvent(name: string): name is FollowedGitHubEvent {
  return Object.hasOwn(schemas, name);
}

// What GitHub's conclusions mean for a merge: these let it through.
const PASSING = new Set(['success', 'neutral', 'skipped']);

function checkState(status: string | null, concluded: string | null | undefined): 'pending' | 'success' | 'failure' {
  if (status !== 'completed') return 'pending';
  return PASSING.has(concluded ?? '') ? 'success' : 'failure';
}

/**
 * The event a delivery carries, null when its action is not one a proposal follows (a pull request
 * labelled, a check requested). ValidationError names the field when the payload is not GitHub's shape.
 */
export function readGitHubEvent(name: FollowedGitHubEvent, deliveryId: string, payload: unknown): CodeHostEvent | null {
  const parsed = schemas[name].safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ValidationError(
      `The ${name} payload is not GitHub's shape: ${issue?.path.join('.') || '(root)'} ${issue?.message ?? ''}`.trim(),
    );
  }
  const key = `delivery:${deliveryId}`;
  switch (name) {
    case 'pull_request': {
      const { action, pull_request: pr, sender } = parsed.data as z.infer<(typeof schemas)['pull_request']>;
      if (action !== 'closed' && action !== 'reopened') return null;
      const state = action === 'reopened' ? 'open' : pr.merged || pr.merged_at ? 'merged' : 'closed';
      return {
        kind: 'pull_request',
        key,
        head: pr.head.ref,
        number: pr.number,
        url: pr.html_url,
        state,
        actor: sender?.login ?? 'unknown',
      };
    }
    case 'pull_request_review': {
      const { action, review, pull_request: pr } = parsed.data as z.infer<(typeof schemas)['pull_request_review']>;
      if (action !== 'submitted') return null;
      return {
        kind: 'review',
        key,
        head: pr.head.ref,
        number: pr.number,
        author: review.user?.login ?? 'unknown',
        state: review.state.toLowerCase(),
        body: review.body ?? '',
      };
    }
    case 'pull_request_review_comment': {
      const { action, comment, pull_request: pr } = parsed.data as z.infer<(typeof schemas)['pull_request_review_comment']>;
      if (action !== 'created') return null;
      const where = comment.line ? `${comment.path}:${comment.line}` : comment.path;
      return {
        kind: 'comment',
        key,
        head: pr.head.ref,
        number: pr.number,
        author: comment.user?.login ?? 'unknown',
        path: where,
        body: comment.body,
      };
    }
    case 'issue_comment': {
      const { action, issue, comment } = parsed.data as z.infer<(typeof schemas)['issue_comment']>;
      // The app's own comments (a Bot) are never read back as requests.
      if (action !== 'created' || !issue.pull_request || comment.user?.type === 'Bot') return null;
      return {
        kind: 'comment',
        key,
        head: '',
        number: issue.number,
        author: comment.user?.login ?? 'unknown',
        ...(comment.user?.id !== undefined ? { authorId: comment.user.id } : {}),
        body: comment.body,
      };
    }
    case 'check_suite': {
      const { action, check_suite: suite } = parsed.data as z.infer<(typeof schemas)['check_suite']>;
      if (action !== 'completed' || !suite.head_branch) return null;
      const state = checkState(suite.status, suite.conclusion);
      return {
        kind: 'checks',
        key,
        head: suite.head_branch,
        name: suite.app?.name ?? 'checks',
        state,
        summary: suite.conclusion ?? 'completed',
      };
    }
    case 'check_run': {
      const { action, check_run: run } = parsed.data as z.infer<(typeof schemas)['check_run']>;
      if (action !== 'completed' || !run.check_suite.head_branch) return null;
      const state = checkState(run.status, run.conclusion);
      return { kind: 'checks', key, head: run.check_suite.head_branch, name: run.name, state, summary: run.conclusion ?? 'completed' };
    }
  }
}
