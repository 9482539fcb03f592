import { randomUUID } from 'node:crypto';
import { Option, type Command } from 'commander';
import type { ImprovementLoop } from '../app.ts';
import { ProposalNotFound, RevisionFailed, ValidationError } from '../domain/errors.ts';
import { PROPOSAL_TYPES, STATUSES, type Proposal, type ProposalStatus, type ProposalType } from '../domain/proposal.ts';
import { defaultActor, integerBetween, requireProposalId } from './arguments.ts';
import type { CliContext, OutputMode } from './context.ts';
import { EXIT } from './errors.ts';
import { renderProposal, statusColor } from './proposal-view.ts';
import { resolveProposalId } from './resolve-id.ts';
import { describeStore, whereTheServerKeepsIt } from './store-location.ts';
import { paintFor, printJson, renderTable, widthOf } from './terminal.ts';

interface ListFlags extends OutputMode {
  status?: ProposalStatus;
  type?: ProposalType;
  limit: number;
  offset: number;
}

interface DecisionFlags extends OutputMode {
  as?: string;
}

const ID_HELP = 'proposal id, or its beginning when only one id begins so';

export function registerProposalCommands(program: Command, context: CliContext): void {
  const proposals = program.command('proposals').description('list, inspect and decide on proposals');
  const json = () => new Option('--json', 'print one JSON document on stdout');
  const actor = () => new Option('--as <actor>', 'who the decision is recorded as (default: cli:<your user name>)');

  proposals
    .command('list')
    .description('proposals, newest first')
    .addOption(new Option('--status <status>', 'only this status').choices(STATUSES))
    .addOption(new Option('--type <type>', 'only this type').choices(PROPOSAL_TYPES))
    .option('--limit <n>', 'at most this many (1-500)', integerBetween(1, 500), 20)
    .option('--offset <n>', 'skip this many first', integerBetween(0, Number.MAX_SAFE_INTEGER), 0)
    .addOption(json())
    .action((flags: ListFlags) => listProposals(context, flags));

  proposals
    .command('show')
    .description('every field of one proposal: evidence, plans, patch, execution and history')
    .argument('<id>', ID_HELP)
    .addOption(json())
    .action((id: string, flags: OutputMode) => showProposal(context, id, flags));

  proposals
    .command('rank')
    .description('pending proposals in the order people are likely to approve them (learned from past decisions), with why')
    .addOption(json())
    // The ranking model loads with this command, not at every start.
    .action(async (flags: OutputMode) => (await import('./ranking.ts')).printRanking(context, flags));

  proposals
    .command('approve')
    .description('approve a pending (or failed, to retry) proposal')
    .argument('<id>', ID_HELP)
    .addOption(actor())
    .option('--auto-execute', 'mark it to be executed without a further click')
    .addOption(json())
    .action((typed: string, flags: DecisionFlags & { autoExecute?: boolean }) =>
      decide(context, typed, flags, 'approved', (app, id, key, who) =>
        app.decisions
          .approve({ id, actor: who, idempotencyKey: key, ...(flags.autoExecute ? { autoExecute: true } : {}) })
          .then((r) => r.proposal),
      ),
    );

  proposals
    .command('reject')
    .description('reject a pending proposal, saying why')
    .argument('<id>', ID_HELP)
    .requiredOption('--reason <text>', 'why (kept in the history; a rejected finding returns only if it grows)')
    .addOption(actor())
    .addOption(json())
    .action((typed: string, flags: DecisionFlags & { reason: string }) =>
      decide(context, typed, flags, 'rejected', (app, id, key, who) =>
        app.decisions.reject({ id, actor: who, idempotencyKey: key, reason: flags.reason }).then((r) => r.proposal),
      ),
    );

  proposals
    .command('execute')
    .description('hand an approved proposal to the executor')
    .argument('<id>', ID_HELP)
    .addOption(actor())
    .addOption(json())
    .action((typed: string, flags: DecisionFlags) =>
      decide(context, typed, flags, 'executed', (app, id, key, who) => app.decisions.execute({ id, actor: who, idempotencyKey: key })),
    );

  proposals
    .command('revise')
    .description(
      'ask Claude to revise the patch (approved, failed, or implemented with its pull request open), tried before it replaces anything',
    )
    .argument('<id>', ID_HELP)
    .requiredOption('--instructions <text>', 'what to change in the patch (the review comments on record are read too)')
    .addOption(actor())
    .addOption(json())
    .action((typed: string, flags: DecisionFlags & { instructions: string }) =>
      decide(context, typed, flags, 'revised', async (app, id, key, who) => {
        const result = await app.revisions.revise({ id, actor: who, idempotencyKey: key, instructions: flags.instructions });
        // The revision's own result, not the proposal's status, says whether it landed.
        if (result.outcome === 'failed') throw new RevisionFailed(result.reason);
        return result.proposal;
      }),
    );

  proposals
    .command('rollback')
    .description('undo an implemented proposal: delete its unmerged branch, or revert its commit on it')
    .argument('<id>', ID_HELP)
    .requiredOption('--reason <text>', 'why (kept in the history)')
    .addOption(actor())
    .addOption(json())
    .action((typed: string, flags: DecisionFlags & { reason: string }) =>
      decide(context, typed, flags, 'rolled back', (app, id, key, who) =>
        app.decisions.rollback({ id, actor: who, idempotencyKey: key, reason: flags.reason }),
      ),
    );
}

async function listProposals(context: CliContext, flags: ListFlags): Promise<void> {
  const { io } = context;
  const { result, store } = await context.withStore(flags, async (requestStore, config) => ({
    result: await requestStore.list({ status: flags.status, type: flags.type, limit: flags.limit, offset: flags.offset }),
    store: describeStore(config),
  }));
  // The API's list shape: items, total, limit, offset.
  if (flags.json) return printJson(io.stdout, { items: result.items, total: result.total, limit: flags.limit, offset: flags.offset });
  const paint = paintFor(io.stdout, io.env);
  if (!result.items.length) {
    if (result.total) {
      io.stdout.write(`No proposals past offset ${flags.offset} (${result.total} in all).\n`);
      return;
    }
    // An empty list most often means the wrong store (another DATA_DIR, no REDIS_URL): say which one this is.
    const filtered = flags.status || flags.type ? ' match the filter' : '';
    io.stdout.write(`No proposals${filtered} in ${store}.\n`);
    io.stderr.write(`${paintFor(io.stderr, io.env).dim(whereTheServerKeepsIt(context.envFile))}\n`);
    return;
  }
  const rows = result.items.map((p) => [p.id, p.status, p.type, p.priority, p.title]);
  const table = renderTable(['id', 'status', 'type', 'priority', 'title'], rows, {
    width: widthOf(io.stdout),
    style: (column, padded) => (column === 1 ? statusColor(paint, padded.trim() as ProposalStatus)(padded) : padded),
  });
  const first = flags.offset + 1;
  const last = flags.offset + result.items.length;
  io.stdout.write(`${table}\n${paint.dim(`${first}-${last} of ${result.total}`)}\n`);
}

async function showProposal(context: CliContext, typed: string, flags: OutputMode): Promise<void> {
  const { io } = context;
  // A malformed id is refused before any store is opened.
  requireProposalId(typed);
  const { proposal, support } = await context.withApp(flags, async (app) => {
    const id = await resolveProposalId(app.requestStore, typed);
    // Deleted between the two reads (swept): the same error a decision on an unknown id raises.
    const found = await app.requestStore.get(id);
    if (!found) throw new ProposalNotFound(id);
    return { proposal: found, support: { canExecute: app.decisions.canExecute(), hasAgent: app.decisions.hasAgent() } };
  });
  if (flags.json) return printJson(io.stdout, proposal);
  io.stdout.write(renderProposal(proposal, paintFor(io.stdout, io.env), support));
}

type Decide = (app: ImprovementLoop, id: string, idempotencyKey: string, actor: string) => Promise<Proposal>;

async function decide(context: CliContext, typed: string, flags: DecisionFlags, verb: string, apply: Decide): Promise<void> {
  const { io } = context;
  requireProposalId(typed);
  const actor = flags.as === undefined ? defaultActor(io.env) : flags.as.trim();
  if (!actor) throw new ValidationError('--as needs a name');
  // Each invocation is one decision; the key only has to be unique to it (a retry is a new command).
  const idempotencyKey = `cli:${randomUUID()}`;
  const proposal = await context.withApp(flags, async (app) =>
    apply(app, await resolveProposalId(app.requestStore, typed), idempotencyKey, actor),
  );
  // Only an execution can end in `failed`: the decision was recorded, but the change did not land.
  if (proposal.status === 'failed') context.exitCode = EXIT.failure;
  if (flags.json) return printJson(io.stdout, proposal);
  const paint = paintFor(io.stdout, io.env);
  io.stdout.write(
    `${capitalize(verb)} ${paint.bold(proposal.id)} as ${actor}: it is now ${statusColor(paint, proposal.status)(proposal.status)} (version ${proposal.version}).\n`,
  );
  if (proposal.execution?.error) io.stdout.write(`${paint.red('Execution failed:')} ${proposal.execution.error}\n`);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
