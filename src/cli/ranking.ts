import { rankPending } from '../proposals/ranking/pending-ranking.ts';
import type { CliContext, OutputMode } from './context.ts';
import { paintFor, printJson, renderTable, widthOf } from './terminal.ts';

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** `proposals rank`: the pending proposals in the order people are likely to approve them, and why. */
export async function printRanking(context: CliContext, flags: OutputMode): Promise<void> {
  const { io } = context;
  const ranking = await context.withApp(flags, (app) => rankPending(app.requestStore, app.config.ranking));
  if (flags.json) return printJson(io.stdout, ranking);
  const paint = paintFor(io.stdout, io.env);
  if (!ranking.ranked.length) {
    io.stdout.write(`No pending proposals. Ranking: ${ranking.basis}.\n`);
    return;
  }
  const rows = ranking.ranked.map((r) => [String(r.position), r.proposal.id, r.proposal.priority, clip(r.proposal.title, 60), r.why]);
  io.stdout.write(`${renderTable(['#', 'id', 'priority', 'title', 'why'], rows, { width: widthOf(io.stdout) })}\n`);
  // The basis names the method itself: "fixed rule (…): …" or "learned from N decisions …".
  const how = ranking.method === 'learned' ? `a model of past decisions, ${ranking.basis}` : `the ${ranking.basis}`;
  io.stdout.write(`${paint.dim(`Ranked by ${how}.`)}\n`);
}
