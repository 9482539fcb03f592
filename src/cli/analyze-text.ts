import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { ErrorTemplateGroup } from '../analyzers/errors/template-miner.ts';
import type { FeatureTheme } from '../analyzers/features/cluster-requests.ts';
import { ConfigError } from '../config-error.ts';
import { ValidationError } from '../domain/errors.ts';
import type { Logger } from '../logging.ts';
import type { CliContext, OutputStream } from './context.ts';
import { paintFor, renderTable, widthOf } from './terminal.ts';

/**
 * `group-errors`, `cluster-requests` and `changepoints`: the text analyzers on a file or a pipe, so
 * a person can try them on their own logs and a benchmark can measure them. They need no store, no
 * warehouse and no setting but LOG_LEVEL, so they never read the rest of the configuration and
 * never touch DATA_DIR. With --json each result is one JSON object on a line of its own.
 */

interface TextFlags {
  input?: string;
  json?: boolean;
}

export function registerTextAnalyzerCommands(program: Command, context: CliContext): void {
  const input = () => new Option('--input <file>', 'read this file instead of standard input');
  const json = () => new Option('--json', 'print one JSON object per line on stdout');

  program
    .command('group-errors')
    .description('group error or log lines (one per line) by message template')
    .addOption(input())
    .addOption(json())
    .option(
      '--threshold <share>',
      "share of a line's tokens that must equal a group's template for it to join (0 to 1)",
      shareFromZeroToOne,
      0.5,
    )
    .action((flags: TextFlags & { threshold: number }) => groupErrors(context, flags));

  program
    .command('cluster-requests')
    .description('find the feature requests among customer messages (one per line) and group them into themes')
    .addOption(input())
    .addOption(json())
    .option('--all', 'cluster every line into themes, requests or not (the number of themes comes from the data)')
    .action((flags: TextFlags & { all?: boolean }) => groupRequests(context, flags));

  program
    .command('changepoints')
    .description('find level shifts in a series: a JSON array of numbers, or of {"t", "value"} objects')
    .addOption(input())
    .addOption(json())
    .action((flags: TextFlags) => changePoints(context, flags));
}

async function groupErrors(context: CliContext, flags: TextFlags & { threshold: number }): Promise<void> {
  const { io } = context;
  const logger = await textLogger(context, flags);
  // The analyzers load with the command that runs them, so `--help` and the other commands start without them.
  const { LineGrouping } = await import('../analyzers/errors/final-groups.ts');
  const started = Date.now();
  const grouping = new LineGrouping({ similarityThreshold: flags.threshold });
  const numbers: number[] = [];
  for await (const line of readLines(context, flags.input)) {
    numbers.push(line.number);
    grouping.add(line.text);
  }
  const { groups, groupOfEach, ambiguous } = grouping.finish();
  logger.debug({ lines: numbers.length, groups: groups.length, ambiguous, ms: Date.now() - started }, 'grouped error lines');
  if (flags.json) {
    const out = jsonLines(io.stdout);
    groupOfEach.forEach((group, i) => out.push({ line: numbers[i], group: group.id, template: group.template }));
    return out.end();
  }
  if (!groups.length) return void io.stdout.write('No lines to group.\n');
  const paint = paintFor(io.stdout, io.env);
  const table = renderTable(
    ['count', 'group', 'template'],
    groups.map((g) => [String(g.count), g.id, g.template]),
    { width: widthOf(io.stdout) },
  );
  io.stdout.write(`${paint.bold(`${plural(numbers.length, 'line')} in ${plural(groups.length, 'group')}`)}\n${table}\n`);
}

async function groupRequests(context: CliContext, flags: TextFlags & { all?: boolean }): Promise<void> {
  const { io } = context;
  const logger = await textLogger(context, flags);
  const [{ clusterRequests }, { detectFeatureRequest }] = await Promise.all([
    import('../analyzers/features/cluster-requests.ts'),
    import('../analyzers/features/detect-request.ts'),
  ]);
  const lines: { number: number; text: string; isRequest: boolean }[] = [];
  for await (const line of readLines(context, flags.input)) {
    lines.push({ ...line, isRequest: flags.all ? true : detectFeatureRequest(line.text).isRequest });
  }
  const requests = lines.filter((line) => line.isRequest);
  // Clustering costs what the distinct texts cost (cluster-requests.ts), so no input is too many lines.
  const themes = clusterRequests(
    requests.map((request) => request.text),
    flags.all ? { vocabulary: 'lines' } : {},
  );
  const themeOf = new Map<(typeof lines)[number], FeatureTheme>();
  for (const theme of themes) for (const member of theme.members) themeOf.set(requests[member]!, theme);
  logger.debug({ lines: lines.length, requests: requests.length, themes: themes.length }, 'clustered feature requests');
  if (flags.json) {
    const out = jsonLines(io.stdout);
    for (const line of lines) {
      const theme = themeOf.get(line);
      out.push({
        line: line.number,
        ...(flags.all ? {} : { isFeatureRequest: line.isRequest }),
        theme: theme?.id ?? null,
        themeLabel: theme ? theme.label.join(' ') : null,
      });
    }
    return out.end();
  }
  const paint = paintFor(io.stdout, io.env);
  const text = [
    paint.bold(
      flags.all
        ? `${plural(lines.length, 'line')} in ${plural(themes.length, 'theme')}`
        : `${plural(lines.length, 'message')}, ${plural(requests.length, 'feature request')} in ${plural(themes.length, 'theme')}`,
    ),
  ];
  for (const theme of themes) {
    text.push(
      '',
      `${paint.bold(theme.label.join(', '))}  ${paint.dim(`${plural(theme.count, flags.all ? 'line' : 'request')}, theme ${theme.id}`)}`,
    );
    text.push(...theme.examples.map((example) => `  “${example}”`));
  }
  const unthemed = requests.length - themeOf.size;
  if (unthemed) text.push('', paint.dim(`${plural(unthemed, flags.all ? 'line' : 'request')} had no words to group by.`));
  io.stdout.write(`${text.join('\n')}\n`);
}

async function changePoints(context: CliContext, flags: TextFlags): Promise<void> {
  const { io } = context;
  const logger = await textLogger(context, flags);
  const { findChangePoints } = await import('../analyzers/performance/change-points.ts');
  const series = parseSeries(await readAll(context, flags.input));
  const changes = findChangePoints(series.values).map((change) => ({ ...change, index: series.inputIndex[change.index]! }));
  logger.debug({ points: series.values.length, changes: changes.length }, 'searched for change points');
  const tOf = (index: number) => (series.t ? series.t[index] : null);
  if (flags.json) {
    const out = jsonLines(io.stdout);
    // effectSize is Infinity on a noiseless series, which JSON spells null.
    for (const { index, ...change } of changes) out.push({ index, t: tOf(index), ...change });
    return out.end();
  }
  const paint = paintFor(io.stdout, io.env);
  const heading = paint.bold(
    `${plural(series.values.length, 'point')}: ${changes.length ? plural(changes.length, 'change point') : 'no change point found'}`,
  );
  if (!changes.length) return void io.stdout.write(`${heading}\n`);
  const rows = changes.map((c) => [
    series.t ? String(tOf(c.index)) : `index ${c.index}`,
    formatNumber(c.before),
    formatNumber(c.after),
    `${c.magnitude > 0 ? '+' : ''}${formatNumber(c.magnitude)}`,
    c.relativeChange === null ? '-' : `${c.relativeChange > 0 ? '+' : ''}${(c.relativeChange * 100).toFixed(1)}%`,
    c.pValue.toFixed(3),
  ]);
  io.stdout.write(`${heading}\n${renderTable(['at', 'before', 'after', 'magnitude', 'change', 'p-value'], rows)}\n`);
}

interface Series {
  /** In time order. */
  values: number[];
  /** Position in the input of each value. */
  inputIndex: number[];
  /** Each input element's t as given, for timed input. */
  t?: (string | number)[];
}

function parseSeries(text: string): Series {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ValidationError(
      `the input is not valid JSON (${(error as Error).message}); expected an array of numbers or of {"t", "value"} objects`,
    );
  }
  if (!Array.isArray(data)) throw new ValidationError('expected a JSON array of numbers or of {"t", "value"} objects');
  // null stands for a missing value; findChangePoints skips it and keeps the positions.
  const valueOf = (v: unknown) => (v === null ? NaN : typeof v === 'number' ? v : undefined);
  // The first element says which of the two forms the array is in.
  if (data.length === 0 || valueOf(data[0]) !== undefined) {
    const bad = data.findIndex((v) => valueOf(v) === undefined);
    if (bad >= 0)
      throw new ValidationError(`element ${bad} is not a number (or null), as element 0 is: ${JSON.stringify(data[bad])?.slice(0, 80)}`);
    return { values: data.map((v) => valueOf(v)!), inputIndex: data.map((_, i) => i) };
  }
  const points = data.map((element: unknown, i) => {
    const point = element as { t?: unknown; value?: unknown } | null;
    const value = point && typeof point === 'object' ? valueOf(point.value) : undefined;
    if (value === undefined || (typeof point!.t !== 'string' && typeof point!.t !== 'number')) {
      throw new ValidationError(
        `element ${i} is neither a number nor a {"t", "value"} object with a number value: ${JSON.stringify(element)?.slice(0, 80)}`,
      );
    }
    const at = typeof point!.t === 'number' ? point!.t : Date.parse(point!.t);
    if (!Number.isFinite(at)) throw new ValidationError(`element ${i}: t ${JSON.stringify(point!.t)} is not an ISO 8601 time or a number`);
    return { t: point!.t, at, value, i };
  });
  if (new Set(points.map((p) => typeof p.t)).size > 1)
    throw new ValidationError('t must be ISO times throughout or numbers throughout, not a mix');
  // Sorted by time (stably) so that a series given out of order still reads as a series.
  const ordered = [...points].sort((a, b) => a.at - b.at || a.i - b.i);
  return { values: ordered.map((p) => p.value), inputIndex: ordered.map((p) => p.i), t: points.map((p) => p.t) };
}

interface InputLine {
  /** 1-based line number in the input, counting the blank lines that are skipped. */
  number: number;
  text: string;
}

/** Non-blank lines one at a time, so a large log is never held whole; CRLF, CR and LF all end a line. */
async function* readLines(context: CliContext, file: string | undefined): AsyncGenerator<InputLine> {
  const lines = createInterface({ input: await openInput(context, file), crlfDelay: Infinity });
  let number = 0;
  for await (const raw of lines) {
    number += 1;
    const text = number === 1 ? raw.replace(/^\uFEFF/, '') : raw;
    if (text.trim() !== '') yield { number, text };
  }
}

async function readAll(context: CliContext, file: string | undefined): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of await openInput(context, file)) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
}

async function openInput(context: CliContext, file: string | undefined): Promise<NodeJS.ReadableStream> {
  // Opened before reading so a missing file fails here, as a system error errors.ts reports without a stack.
  if (file !== undefined) return (await open(file, 'r')).createReadStream();
  const io = context.io;
  const stdin = io.stdin ?? process.stdin;
  if ((stdin as { isTTY?: boolean }).isTTY && io.stderr.isTTY)
    io.stderr.write('Reading standard input (end with Ctrl-D); --input FILE reads a file.\n');
  return stdin;
}

/** Buffered so a million results are a few hundred writes, not a million. */
function jsonLines(stream: OutputStream): { push(value: unknown): void; end(): void } {
  let buffer = '';
  return {
    push(value) {
      buffer += `${JSON.stringify(value)}\n`;
      if (buffer.length >= 1 << 16) {
        stream.write(buffer);
        buffer = '';
      }
    },
    end() {
      if (buffer) stream.write(buffer);
    },
  };
}

/** These commands read LOG_LEVEL and nothing else of the configuration. */
async function textLogger(context: CliContext, flags: TextFlags): Promise<Logger> {
  const { VARIABLES } = await import('../config-variables.ts');
  const given = context.io.env.LOG_LEVEL ?? VARIABLES.LOG_LEVEL.default;
  const level = VARIABLES.LOG_LEVEL.schema.safeParse(given);
  if (!level.success)
    throw new ConfigError([`LOG_LEVEL: must be one of ${VARIABLES.LOG_LEVEL.schema.options.join(', ')} (got ${JSON.stringify(given)})`]);
  return context.logger(flags, level.data);
}

function shareFromZeroToOne(value: string): number {
  const share = Number(value);
  if (value.trim() === '' || !Number.isFinite(share) || share < 0 || share > 1)
    throw new InvalidArgumentError('Expected a number from 0 to 1, such as 0.5.');
  return share;
}

function plural(count: number, noun: string): string {
  return `${count.toLocaleString('en-US')} ${noun}${count === 1 ? '' : 's'}`;
}

function formatNumber(value: number): string {
  return String(Number(value.toPrecision(6)));
}
