import { z } from 'zod';
import { ValidationError } from '../../../domain/errors.ts';
import type { CodeHostEvent } from '../../../ports/code-host.ts';

/**
 * GitLab webhook payloads (docs.gitlab.com, "Webhook events") reduced to the events a proposal
 * follows: merge request merged/closed/reopened, a merge request's pipeline finished, a note on a
 * merge request. Only the fields read are checked.
 */

const user = z.object({ username: z.string(), id: z.number().optional() }).nullable().optional();
const schemas = {
  'Merge Request Hook': z.object({
    user,
    object_attributes: z.object({
      iid: z.number().int().positive(),
      url: z.string(),
      source_branch: z.string(),
      action: z.string().optional(),
    }),
  }),
  'Pipeline Hook': z.object({
    object_attributes: z.object({ ref: z.string(), status: z.string() }),
    merge_request: z.object({ iid: z.number() }).nullable().optional(),
  }),
  'Note Hook': z.object({
    user,
    object_attributes: z.object({ note: z.string(), noteable_type: z.string(), system: z.boolean().optional() }),
    merge_request: z.object({ iid: z.number(), source_branch: z.string() }).optional(),
  }),
};

export type FollowedGitLabEvent = keyof typeof schemas;

export function isFollowedGitLabEvent(name: string): name is FollowedGitLabEvent {
  return Object.hasOwn(schemas, name);
}

const FINISHED: Record<string, 'success' | 'failure'> = { success: 'success', skipped: 'success', failed: 'failure', canceled: 'failure' };

export function readGitLabEvent(name: FollowedGitLabEvent, deliveryId: string, payload: unknown): CodeHostEvent | null {
  const parsed = schemas[name].safeParse(payload);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ValidationError(
      `The ${name} payload is not GitLab's shape: ${issue?.path.join('.') || '(root)'} ${issue?.message ?? ''}`.trim(),
    );
  }
  const key = `delivery:${deliveryId}`;
  if (name === 'Merge Request Hook') {
    const { user: by, object_attributes: mr } = parsed.data as z.infer<(typeof schemas)['Merge Request Hook']>;
    const state = mr.action === 'merge' ? 'merged' : mr.action === 'close' ? 'closed' : mr.action === 'reopen' ? 'open' : null;
    if (!state) return null;
    return { kind: 'pull_request', key, head: mr.source_branch, number: mr.iid, url: mr.url, state, actor: by?.username ?? 'unknown' };
  }
  if (name === 'Pipeline Hook') {
    const { object_attributes: pipeline, merge_request } = parsed.data as z.infer<(typeof schemas)['Pipeline Hook']>;
    const state = FINISHED[pipeline.status];
    if (!state || !merge_request) return null;
    return { kind: 'checks', key, head: pipeline.ref, name: 'pipeline', state, summary: pipeline.status };
  }
  const { user: by, object_attributes: note, merge_request } = parsed.data as z.infer<(typeof schemas)['Note Hook']>;
  if (note.noteable_type !== 'MergeRequest' || note.system || !merge_request) return null;
  return {
    kind: 'review',
    key,
    head: merge_request.source_branch,
    number: merge_request.iid,
    author: by?.username ?? 'unknown',
    ...(by?.id !== undefined ? { authorId: by.id } : {}),
    state: 'commented',
    body: note.note,
  };
}
