import pino, { type Logger } from 'pino';

export type { Logger };

/** Paths pino blanks out wherever they appear, so no token or password reaches a log line. */
const REDACT = [
  'token',
  'apiToken',
  'apiTokens',
  'password',
  'secret',
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-slack-signature"]',
  'config.apiTokens',
  'config.redis.url',
  'config.llm.apiKey',
  'config.telemetry.errorRedis.url',
  'config.telemetry.bigquery.keyFilename',
  '*.token',
  '*.apiKey',
  '*.password',
];

/** The stream a log line is written to; `isTTY` decides the format when it is 'auto'. */
export interface LogStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
}

export interface LogFormat {
  /**
   * 'json' (pino's lines, for collectors), 'human' (one line per entry, for people) or 'auto' (the
   * default): human on a terminal, JSON anywhere else (a file, a pipe to a collector).
   */
  format?: 'json' | 'human' | 'auto';
  /** Human format: print an error's stack under its line (otherwise only its message). */
  stacks?: boolean;
  /** Human format: begin each line with the time (a server's log; a one-shot command needs none). */
  time?: boolean;
  /** Human format: color the level (only on a terminal without NO_COLOR). */
  color?: boolean;
}

export function createLogger(level: string, destination?: LogStream, options: LogFormat = {}): Logger {
  const target = destination ?? process.stderr;
  const human = options.format === 'human' || ((options.format ?? 'auto') === 'auto' && Boolean(target.isTTY));
  return pino(
    {
      level,
      base: { service: 'improvement-loop' },
      redact: { paths: REDACT, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    human ? humanLines(target, options) : (destination ?? pino.destination(2)),
  );
}

const LEVELS: Record<number, { name: string; color: number }> = {
  10: { name: 'trace', color: 2 },
  20: { name: 'debug', color: 2 },
  30: { name: 'info', color: 36 },
  40: { name: 'warn', color: 33 },
  50: { name: 'error', color: 31 },
  60: { name: 'fatal', color: 31 },
};
/** Fields every line has or that the line shows elsewhere: not repeated as key=value. */
const SHOWN = new Set(['level', 'time', 'service', 'pid', 'hostname', 'msg', 'err']);

/**
 * pino's JSON lines (already redacted) rewritten as `warn: message: error message (key=value, …)`.
 * pino-pretty is not a dependency; this is the little of it a person at a terminal needs.
 */
export function humanLines(stream: LogStream, options: LogFormat = {}): { write(line: string): void } {
  return {
    write(line) {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        stream.write(line);
        return;
      }
      stream.write(`${formatEntry(entry, options)}\n`);
    },
  };
}

function formatEntry(entry: Record<string, unknown>, options: LogFormat): string {
  const level = LEVELS[Number(entry.level)] ?? { name: String(entry.level), color: 0 };
  const name = options.color ? `\u001b[${level.color}m${level.name}\u001b[39m` : level.name;
  const time = options.time && typeof entry.time === 'string' ? `${entry.time} ` : '';
  const err = entry.err as { message?: unknown; stack?: unknown } | undefined;
  const message = [entry.msg, err?.message].filter((part) => typeof part === 'string' && part).join(': ');
  const fields = Object.entries(entry)
    .filter(([key, value]) => !SHOWN.has(key) && value !== undefined && value !== '')
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  const stack = options.stacks && typeof err?.stack === 'string' ? `\n${indent(err.stack)}` : '';
  return `${time}${name}: ${message}${fields.length ? ` (${fields.join(', ')})` : ''}${stack}`;
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}

/** A logger that writes nothing, for tests and for the CLI's --json mode. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
