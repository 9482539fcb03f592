import { dashboardProposalUrl, linkOrText } from '../views/dashboard-links.ts';
import type { App, RespondFn, SlashCommand } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import type { WebClient } from '@slack/web-api';
import { type CycleReport } from '../../../cycle/run-cycle.ts';
import { ConflictError, CycleAlreadyRunning } from '../../../domain/errors.ts';
import { PRIORITIES, PROPOSAL_TYPES, STATUSES, type Priority, type ProposalStatus, type ProposalType } from '../../../domain/proposal.ts';
import { CYCLE_TYPES, type CycleType } from '../../../ports/analyzer.ts';
import { computeMetrics } from '../../../proposals/metrics.ts';
import { context, section } from '../views/block-builders.ts';
import type { Role } from '../security/click-authorization.ts';
import { denialFeedback, errorFeedback } from './decision-feedback.ts';
import { renderHelp } from '../views/help-message.ts';
import { metricsBlocks } from '../views/metrics-blocks.ts';
import { scheduleBlocks } from '../views/schedule-blocks.ts';
import { renderProposalMessage, statusLabel, typeLabel, type SlackMessage } from '../views/proposal-message.ts';
import type { SurfaceContext } from './surface-context.ts';
import { clip } from '../views/untrusted-text.ts';

interface CommandCall {
  body: SlashCommand;
  respond: RespondFn;
  client: WebClient;
}

const ephemeral = (message: SlackMessage) => ({
  response_type: 'ephemeral' as const,
  replace_original: false,
  text: message.text,
  blocks: message.blocks,
});
const say = (text: string): SlackMessage => ({ text, blocks: [section(text)] });

/**
 * `/improve …`. The command is acked at once (an empty ack shows nothing), and the answer goes to the
 * command's response_url, ephemeral unless it is a cycle's result for the channel.
 */
export function registerImproveCommand(app: App, ctx: SurfaceContext, commandName = '/improve'): void {
  const { logger } = ctx;

  async function allowed(call: CommandCall, role: Role, what: string): Promise<boolean> {
    const actor = { userId: call.body.user_id, teamId: call.body.team_id, appId: call.body.api_app_id };
    const verdict = await ctx.authorization.authorize(actor, role, { what: `/improve ${what}` });
    if (!verdict.allowed) await call.respond(ephemeral(say(denialFeedback(verdict.reason))));
    return verdict.allowed;
  }

  const handlers: Record<string, (call: CommandCall, args: string[]) => Promise<unknown>> = {
    async metrics(call) {
      const [report, schedule] = await Promise.all([computeMetrics(ctx.store, 5), ctx.scheduleStatus?.().catch(() => undefined)]);
      const showErrors = schedule?.lastRuns.some((r) => r.error)
        ? await ctx.authorization.mayApprove(call.body.user_id).catch(() => false)
        : false;
      await call.respond(
        ephemeral({
          text: 'Improvement metrics',
          blocks: [...metricsBlocks(report), ...(schedule ? scheduleBlocks(schedule, showErrors) : [])],
        }),
      );
    },

    async analyze(call, args) {
      const type = (args[0] ?? 'daily').toLowerCase();
      if (!CYCLE_TYPES.includes(type as CycleType)) return call.respond(ephemeral(renderHelp(`Unknown cycle type "${clip(type, 30)}".`)));
      if (!(await allowed(call, 'approve', 'analyze'))) return;
      const runCycle = ctx.runCycle;
      if (!runCycle) return call.respond(ephemeral(say('Cycles cannot be started from Slack in this installation.')));
      await call.respond(ephemeral(say(`:hourglass_flowing_sand: Starting a ${type} cycle; the result is posted here when it ends.`)));
      try {
        const { report } = await runCycle({ type: type as CycleType });
        const message = renderCycleResult(report);
        await call
          .respond({ response_type: 'in_channel', replace_original: false, text: message.text, blocks: message.blocks })
          .catch(async () => {
            // response_url lasts 30 minutes; a longer cycle reports through the Web API instead.
            await call.client.chat.postMessage({ channel: call.body.channel_id, text: message.text, blocks: message.blocks });
          });
      } catch (error) {
        const text =
          error instanceof CycleAlreadyRunning ? 'A cycle is already running; try again when it has finished.' : errorFeedback(error).text;
        if (!(error instanceof CycleAlreadyRunning)) logger.error({ err: error }, 'cycle from Slack failed');
        await call.respond(ephemeral(say(text)));
      }
    },

    async proposals(call, args) {
      const status = args[0]?.toLowerCase();
      if (status && !STATUSES.includes(status as ProposalStatus))
        return call.respond(ephemeral(renderHelp(`Unknown status "${clip(status, 30)}".`)));
      const list = await ctx.store.list({ limit: 20, offset: 0, ...(status ? { status: status as ProposalStatus } : {}) });
      const lines = list.items.map(
        (p) =>
          `• \`${clip(p.id, 60)}\` ${linkOrText(dashboardProposalUrl(ctx.publicUrl, p.id), clip(p.title, 120))} (${typeLabel(p.type)}, ${p.priority}, ${statusLabel(p.status)})`,
      );
      const head = `*${list.total} proposal${list.total === 1 ? '' : 's'}${status ? ` ${status}` : ''}*`;
      const blocks: KnownBlock[] = [section([head, ...lines].join('\n'))];
      if (list.total > list.items.length) blocks.push(context(`Showing ${list.items.length}; \`/improve show <id>\` opens one.`));
      await call.respond(ephemeral({ text: `${list.total} proposals`, blocks }));
    },

    async show(call, args) {
      const id = args[0];
      if (!id) return call.respond(ephemeral(renderHelp('Which proposal? `/improve show <id>`')));
      const proposal = await ctx.store.get(id);
      if (!proposal) return call.respond(ephemeral(say(`No proposal with id \`${clip(id, 80)}\`.`)));
      await call.respond(
        ephemeral(
          renderProposalMessage(proposal, { hasAgent: ctx.decisions.hasAgent(), ...(ctx.publicUrl ? { publicUrl: ctx.publicUrl } : {}) }),
        ),
      );
    },

    async subscribe(call, args) {
      const types: ProposalType[] = [];
      let minPriority: Priority = 'low';
      for (const word of args.map((a) => a.toLowerCase().replace(/,$/, ''))) {
        if (PROPOSAL_TYPES.includes(word as ProposalType)) types.push(word as ProposalType);
        else if (PRIORITIES.includes(word as Priority)) minPriority = word as Priority;
        else
          return call.respond(
            ephemeral(
              renderHelp(`"${clip(word, 30)}" is neither a type (${PROPOSAL_TYPES.join(', ')}) nor a priority (${PRIORITIES.join(', ')}).`),
            ),
          );
      }
      if (!(await allowed(call, 'approve', 'subscribe'))) return;
      await ctx.state.subscribe({ channel: call.body.channel_id, types, minPriority });
      const what = types.length ? types.map(typeLabel).join(', ') : 'all';
      await call.respond(
        ephemeral(say(`:white_check_mark: This channel now gets new proposals of type ${what} with priority ${minPriority} or higher.`)),
      );
    },

    async unsubscribe(call) {
      if (!(await allowed(call, 'approve', 'unsubscribe'))) return;
      const had = await ctx.state.unsubscribe(call.body.channel_id);
      await call.respond(ephemeral(say(had ? 'This channel no longer gets new proposals.' : 'This channel had no subscription.')));
    },

    // Acked already (see below); Claude and the trial take minutes, so the result goes to the proposal's thread.
    async revise(call) {
      const rest = call.body.text.trim().replace(/^\S+\s*/, '');
      const id = /^\S+/.exec(rest)?.[0];
      const instructions = rest.slice(id?.length ?? 0).trim();
      if (!id || !instructions)
        return call.respond(ephemeral(renderHelp('Which proposal, and what should change? `/improve revise <id> <instructions>`')));
      if (!(await allowed(call, 'execute', 'revise'))) return;
      if (!ctx.revisions) return call.respond(ephemeral(say('Revisions are not available in this installation.')));
      try {
        await ctx.revisions.start({
          id,
          actor: `slack:${call.body.user_id}`,
          instructions,
          idempotencyKey: `slack:revise:${call.body.trigger_id}`,
        });
      } catch (error) {
        // Only a revision already running is a conflict here; the generic text would say "already decided".
        if (error instanceof ConflictError) return call.respond(ephemeral(say(`:hourglass_flowing_sand: ${error.message}`)));
        throw error;
      }
      await call.respond(
        ephemeral(
          say(
            `:pencil2: Revising \`${clip(id, 80)}\`: Claude writes the revised patch, then it is tried (rails and tests). The result is posted in the proposal's thread.`,
          ),
        ),
      );
    },

    async help(call) {
      await call.respond(ephemeral(renderHelp()));
    },
  };

  app.command(commandName, async ({ ack, body, respond, client }) => {
    await ack();
    const call = { body, respond, client };
    const [word = 'help', ...args] = body.text.trim().split(/\s+/).filter(Boolean);
    const handler = Object.hasOwn(handlers, word.toLowerCase()) ? handlers[word.toLowerCase()] : undefined;
    try {
      if (!handler) return void (await respond(ephemeral(renderHelp(`Unknown command "${clip(word, 30)}".`))));
      if (!(await allowed(call, 'view', word))) return;
      await handler(call, args);
    } catch (error) {
      const feedback = errorFeedback(error);
      if (!feedback.expected) logger.error({ err: error, command: word }, '/improve failed');
      await respond(ephemeral(say(feedback.text))).catch(() => undefined);
    }
  });
}

export function renderCycleResult(report: CycleReport): SlackMessage {
  const text = `${report.type} cycle finished: ${report.created.length} new, ${report.updated.length} updated, ${report.findings} findings`;
  const lines = [
    `*${text}*`,
    ...report.created.slice(0, 10).map((p) => `• new: ${clip(p.title, 150)} (${typeLabel(p.type)}, ${p.priority})`),
    ...(report.created.length > 10 ? [`…and ${report.created.length - 10} more`] : []),
    ...(report.errors.length ? [`:warning: ${report.errors.length} error(s): ${clip(report.errors[0] ?? '', 300)}`] : []),
    // An empty window must not read as a healthy platform.
    ...(report.notes ?? []).slice(0, 2).map((note) => `:information_source: ${clip(note, 600)}`),
  ];
  return { text, blocks: [section(lines.join('\n'))] };
}
