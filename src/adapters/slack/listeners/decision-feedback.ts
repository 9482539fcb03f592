import {
  ConflictError,
  IllegalTransition,
  PolicyViolation,
  ProposalNotFound,
  RepositoryBusy,
  StoreUnavailable,
  ValidationError,
  ExecutorUnavailable,
  NotRevisable,
} from '../../../domain/errors.ts';
import type { DenialReason } from '../security/click-authorization.ts';

/**
 * What a person is told, in one place: the core's typed errors and the authorization's denials,
 * each as one ephemeral sentence. Nothing here reveals more than the person could see anyway.
 */
export function errorFeedback(error: unknown): { text: string; expected: boolean } {
  if (error instanceof StoreUnavailable) {
    return {
      text: ':warning: Your click did not go through: the proposal store is not answering right now. Nothing was changed; please try again in a minute.',
      expected: true,
    };
  }
  if (error instanceof RepositoryBusy) return { text: `:hourglass_flowing_sand: ${error.message}`, expected: true };
  if (error instanceof ConflictError || error instanceof IllegalTransition) {
    return {
      text: ':information_source: Someone got there first: this proposal was already decided, so your click changed nothing.',
      expected: true,
    };
  }
  if (error instanceof ProposalNotFound) return { text: 'This proposal no longer exists (it may have expired).', expected: true };
  if (error instanceof NotRevisable) return { text: `:warning: ${error.message}. Nothing was changed.`, expected: true };
  if (error instanceof ExecutorUnavailable) return { text: `:warning: ${error.message}`, expected: true };
  if (error instanceof ValidationError || error instanceof PolicyViolation) return { text: `:warning: ${error.message}`, expected: true };
  return { text: ':x: Something went wrong and nothing was changed. The error is in the service log.', expected: false };
}

const DENIAL_TEXT: Record<DenialReason, string> = {
  nobody_configured:
    ':no_entry: You are not allowed to do that: no approvers are configured (SLACK_APPROVERS), so nobody may act from Slack.',
  wrong_team: ':no_entry: You are not allowed to do that from this workspace.',
  wrong_app: ':no_entry: You are not allowed to do that: the request did not come from this app.',
  bot_user: ':no_entry: Bots are not allowed to decide on proposals.',
  not_listed: ':no_entry: You are not allowed to do that: only the configured approvers may. Nothing was changed.',
  group_lookup_failed:
    ':no_entry: You are not allowed to do that right now: your user group could not be checked. Nothing was changed; try again shortly.',
  identity_unknown:
    ':no_entry: You are not allowed to do that right now: the app could not confirm its own identity with Slack. Nothing was changed.',
};

export function denialFeedback(reason: DenialReason): string {
  return DENIAL_TEXT[reason];
}
