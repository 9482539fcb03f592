import { Option, type Command } from 'commander';
import type { CycleProgress, CycleReport, FiledProposal } from '../cycle/run-cycle.ts';
import { CYCLE_TYPES, type CycleType } from '../ports/analyzer.ts';
import { parseIsoTime } from './arguments.ts';
import type { CliContext } from './context.ts';
import { EXIT } from './errors.ts';
import { paintFor, printJson, renderTable, type Paint } from './terminal.ts';

interface CycleFlags {
  type: CycleType;
  dryRun?: boolean;
  autoExecute?: boolean;
  asOf?: Date;
  json?: boolean;
}

type ReportFiles = { json: string; markdown: string };

export function registerCycleCommand(program: Command, context: CliContext): void {
  program
    .command('cycle')
    .description('run one improvement cycle: analyze, file proposals, write a Markdown and a JSON report')
    .addOption(new Option('--type <type>', 'which cycle to run').choices(CYCLE_TYPES).default('daily'))
    .option('--dry-run', 'show what would be filed and write nothing: no store writes, no report files')
    .option('--auto-execute', 'let policy execute eligible low-risk proposals (AUTO_EXECUTE for this run)')
    .option('--as-of <time>', 'the time the cycle treats as now (ISO 8601, e.g. 2024-05-01T06:00:00Z)', parseIsoTime)
    .option('--json', 'print the report as one JSON document on stdout')
    .action(async (flags: CycleFlags) => {
      context.exitCode = await runCycleCommand(context, flags);
    });
}

async function runCycleCommand(context: CliContext, flags: CycleFlags): Promise<number> {
  const { io } = context;
  const progress = io.stderr.isTTY && !flags.json;
  const paint = paintFor(io.stderr, io.env);
  return context.withApp(flags, async (app) => {
    if (progress) {
      io.stderr.write(`Running the ${flags.type} cycle${flags.dryRun ? ' (dry run)' : ''}…\n`);
      // The warehouse is built first (the bundled sample is generated on a first run): seconds of their own.
      const began = performance.now();
      await app.prepare();
      io.stderr.write(`  ${paint.dim(`telemetry ready in ${seconds(performance.now() - began)}`)}\n`);
    }
    const { report, files } = await app.runCycle({
      ...(progress ? { onProgress: (event: CycleProgress) => io.stderr.write(progressLine(event, paint)) } : {}),
      type: flags.type,
      dryRun: Boolean(flags.dryRun),
      // The flag switches auto-execution on for this run; AUTO_EXECUTE=true has it on for every run.
      autoExecute: Boolean(flags.autoExecute),
      ...(flags.asOf ? { asOf: flags.asOf } : {}),
    });
    if (flags.json) printJson(io.stdout, { ...report, reportFiles: files ?? null });
    else io.stdout.write(renderSummary(report, files, paintFor(io.stdout, io.env)));
    return report.errors.length ? EXIT.failure : EXIT.ok;
  });
}

function renderSummary(report: CycleReport, files: ReportFiles | undefined, paint: Paint): string {
  const failed = report.analyzers.filter((a) => a.error).length;
  const counts = [
    `${report.findings} findings`,
    `${report.created.length} created`,
    `${report.updated.length} updated`,
    `${report.suppressed.length} suppressed`,
    ...(report.dryRun ? [`${report.wouldCreate.length} would be created`] : []),
    ...(report.autoExecuted.length ? [`${report.autoExecuted.length} auto-executed`] : []),
  ];
  const lines = [
    paint.bold(`${capitalize(report.type)} cycle ${report.cycleId}${report.dryRun ? ' (dry run: nothing was written)' : ''}`),
    `  window     ${report.window.from} → ${report.window.to}`,
    `  analyzers  ${report.analyzers.length ? `${report.analyzers.length} ran${failed ? `, ${paint.red(`${failed} failed`)}` : ''}` : 'none registered'}`,
    `  outcome    ${counts.join(', ')}`,
  ];
  const section = (title: string, rows: FiledProposal[]) => {
    if (!rows.length) return;
    const table = renderTable(
      ['id', 'type', 'priority', 'title'],
      rows.map((r) => [r.id, r.type, r.priority, r.title]),
    );
    lines.push('', paint.bold(title), ...table.split('\n').map((l) => `  ${l}`));
  };
  section('Created', report.created);
  section('Would be created', report.wouldCreate);
  section('Updated', report.updated);
  if (report.autoExecuted.length) {
    lines.push('', paint.bold('Auto-executed'), ...report.autoExecuted.map((a) => `  ${a.id}: ${a.outcome}`));
  }
  if (report.errors.length) {
    lines.push('', paint.red(paint.bold(`Errors (${report.errors.length})`)), ...report.errors.map((e) => `  - ${e}`));
  }
  // An empty window must not read as a healthy platform: say so above the report paths.
  if (report.notes?.length) lines.push('', ...report.notes.map((note) => paint.yellow(`Note: ${note}`)));
  lines.push('');
  if (files) lines.push(`Reports:`, `  Markdown  ${files.markdown}`, `  JSON      ${files.json}`);
  else lines.push(paint.dim('No report files: a dry run writes nothing.'));
  return `${lines.join('\n')}\n`;
}

/** One line per finished step, on a terminal only: a pipe or a log file gets the summary alone. */
function progressLine(event: CycleProgress, paint: Paint): string {
  if (event.step === 'filing') return `  ${paint.dim(`filing ${event.findings} finding${event.findings === 1 ? '' : 's'}…`)}\n`;
  const { run, done, of } = event;
  const outcome = run.error ? paint.red(`failed: ${run.error}`) : `${run.findings} finding${run.findings === 1 ? '' : 's'}`;
  return `  [${done}/${of}] ${run.name.padEnd(14)} ${outcome} ${paint.dim(`(${seconds(run.durationMs)})`)}\n`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
