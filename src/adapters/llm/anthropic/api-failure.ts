import type Anthropic from '@anthropic-ai/sdk';
import { APIConnectionError, APIConnectionTimeoutError, APIError } from '@anthropic-ai/sdk';

/** A 2xx reply that is not a Message (a proxy's login page, a truncated body): the SDK passes it through as is. */
export class UnexpectedReply extends Error {
  override name = 'UnexpectedReply';
}

export function assertMessage(value: unknown): asserts value is Anthropic.Messages.Message {
  const candidate = value as Partial<Anthropic.Messages.Message> | null;
  if (
    !candidate ||
    typeof candidate !== 'object' ||
    !Array.isArray(candidate.content) ||
    typeof candidate.usage !== 'object' ||
    !candidate.usage
  ) {
    throw new UnexpectedReply(`expected a Message, got ${typeof value === 'string' ? 'text' : typeof value}`);
  }
}

/**
 * Why a request failed, in a few words fit for a proposal's `writtenBy` ("template (fallback: …)"):
 * built from the status and the error type only, never from message text, which can be long and is
 * not ours to show. The full error goes to the log.
 */
export function failureReason(error: unknown): string {
  if (error instanceof UnexpectedReply) return 'the Anthropic API answered with something other than a message';
  if (error instanceof APIConnectionTimeoutError) return 'the Anthropic API timed out';
  if (error instanceof APIConnectionError) return 'the Anthropic API could not be reached';
  if (error instanceof APIError && error.status !== undefined) {
    const type = typeof error.type === 'string' ? error.type.replace(/[^a-z_]/g, '').slice(0, 40) : '';
    return `Anthropic API ${error.status}${type ? ` ${type}` : ''}`;
  }
  return 'unexpected error';
}
