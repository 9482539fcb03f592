import type { KnownBlock } from '@slack/types';
import type { ChangeOutcome } from '../../../domain/outcome.ts';
import type { Proposal } from '../../../domain/proposal.ts';
import { describeMeasurement } from '../../../proposals/outcomes/measure-outcomes.ts';
import { actions, context, section } from './block-builders.ts';
import type { SlackMessage } from './proposal-message.ts';
import { proposalButtons } from './proposal-message.ts';
import { clip } from './untrusted-text.ts';

const EMOJI: Record<ChangeOutcome['verdict'], string> = {
  improved: ':chart_with_downwards_trend:',
  'no change': ':heavy_minus_sign:',
  worse: ':warning:',
};

/**
 * The before/after verdict, in the proposal's thread. A change that made things significantly worse
 * asks for a rollback with the proposal's own Roll back button (authorized like Execute); a merged
 * one can only be reverted on the code host, and the reply says so.
 */
export function renderOutcomeReply(proposal: Proposal, outcome: ChangeOutcome): SlackMessage {
  const title =
    outcome.verdict === 'worse' ? 'It made things worse' : outcome.verdict === 'improved' ? 'It helped' : 'No measurable change';
  const blocks: KnownBlock[] = [section(`${EMOJI[outcome.verdict]} *${title}*\n${clip(describeMeasurement(outcome), 1500)}`)];
  if (outcome.verdict === 'worse') {
    if (proposal.status === 'implemented') {
      blocks.push(section('Roll the change back? The button asks why and records it.'));
      blocks.push(actions(`outcome:${proposal.id}`, proposalButtons(proposal)));
    } else if (proposal.status === 'merged') {
      blocks.push(section('The change is merged: revert its merge on the code host to undo it.'));
    }
  }
  const markedBy = outcome.markedBy ? `: ${clip(outcome.markedBy, 300)}` : '';
  blocks.push(
    context(`Compared over ${outcome.windowDays} days before and after the change (${outcome.marker} ${outcome.changedAt}${markedBy}).`),
  );
  return { text: `${title}: ${clip(outcome.measure, 200)}`, blocks };
}
