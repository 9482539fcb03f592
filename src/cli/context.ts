import type { ImprovementLoop, AppExtras } from '../app.ts';
import type { Config } from '../config.ts';
import type { EnvFileLoad } from '../env-file.ts';
import type { Logger } from '../logging.ts';
import type { ProposalStore } from '../ports/store.ts';

/** The part of a stream the CLI writes to; `isTTY` and `columns` decide progress, color and width. */
export interface OutputStream {
  write(chunk: string): boolean;
  isTTY?: boolean;
  columns?: number;
}

export interface CliIo {
  stdout: OutputStream;
  stderr: OutputStream;
  env: NodeJS.ProcessEnv;
  /** Where the text commands read when no --input is given; process.stdin when absent. */
  stdin?: NodeJS.ReadableStream;
  /** The directory whose `.env` is read into `env` before anything else; none is read when absent. */
  cwd?: string;
  /** Added to the app the commands build (embedding, tests). */
  appExtras?: AppExtras;
}

/** Whether a command was asked for machine output: then the logger is silent and stdout holds one JSON document. */
export interface OutputMode {
  json?: boolean;
}

/** A one-shot command's log is for the person who ran it; the server's is for a log collector too. */
export type LogAudience = 'command' | 'server';

/** Everything a command needs, handed to each command group when it registers. */
export interface CliContext {
  io: CliIo;
  /**
   * Loads the configuration schema (zod) and the logger (pino). main.ts calls it before a command's
   * action and never for `--help` or a usage error, which therefore start without either.
   */
  load(): Promise<void>;
  /** Reads and validates the configuration (ConfigError on a wrong value) and makes the logger. */
  open(mode: OutputMode, audience?: LogAudience): { config: Config; logger: Logger };
  /** The logger a command writes to stderr at LOG_LEVEL (for commands that read no other setting). */
  logger(mode: OutputMode, level: string, audience?: LogAudience): Logger;
  /** Builds the app, lends it to `use`, and closes it whatever happens. */
  withApp<T>(mode: OutputMode, use: (app: ImprovementLoop, logger: Logger) => Promise<T>): Promise<T>;
  /**
   * Opens the request store alone (no writer, executor, Slack or metrics), lends it to `use` and
   * closes it: what reading commands need, so they start in a fraction of withApp's time.
   */
  withStore<T>(mode: OutputMode, use: (store: ProposalStore, config: Config) => Promise<T>): Promise<T>;
  /** The exit code a command chose for a run that completed (a cycle with errors: 1). */
  exitCode: number;
  /** --verbose: info lines and stack traces. Set from the parsed options before a command runs. */
  verbose: boolean;
  /** Stack traces are for --verbose or LOG_LEVEL=debug (or trace); everyone else reads one line. */
  showStacks(): boolean;
  /** What `.env` gave, when there was one. */
  envFile?: EnvFileLoad;
}

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];
const INFO = LEVELS.indexOf('info');
const WARN = LEVELS.indexOf('warn');

/**
 * A command prints its own result, so by default only warnings and errors join it; --verbose adds
 * the info lines, and LOG_LEVEL=debug or trace (someone investigating) is taken as it is.
 */
export function commandLogLevel(level: string, verbose: boolean): string {
  const index = LEVELS.indexOf(level);
  if (index < 0) return level;
  if (verbose) return LEVELS[Math.min(index, INFO)]!;
  return index < INFO ? level : LEVELS[Math.max(index, WARN)]!;
}

export function createCliContext(io: CliIo): CliContext {
  let modules: { config: typeof import('../config.ts'); logging: typeof import('../logging.ts') } | undefined;
  const loaded = () => {
    if (!modules) throw new Error('the CLI context was used before load()');
    return modules;
  };
  // Commands open the configuration themselves, after parsing, so `--help` and usage errors work
  // even when a variable is wrong, and so the logger knows whether --json asked for silence.
  const context: CliContext = {
    io,
    async load() {
      const [config, logging] = await Promise.all([import('../config.ts'), import('../logging.ts')]);
      modules = { config, logging };
    },
    exitCode: 0,
    verbose: false,
    showStacks() {
      const level = LEVELS.indexOf(io.env.LOG_LEVEL?.trim() ?? '');
      return context.verbose || (level >= 0 && level < INFO);
    },
    logger(mode, level, audience = 'command') {
      const { createLogger, silentLogger } = loaded().logging;
      if (mode.json) return silentLogger();
      const color = Boolean(io.stderr.isTTY) && !io.env.NO_COLOR;
      // The server keeps JSON lines unless a person watches it; a command always speaks to one.
      if (audience === 'server') return createLogger(level, io.stderr, { format: 'auto', time: true, stacks: true, color });
      return createLogger(commandLogLevel(level, context.verbose), io.stderr, {
        format: 'human',
        stacks: context.showStacks(),
        color,
      });
    },
    open(mode, audience = 'command') {
      const config = loaded().config.loadConfig(io.env);
      return { config, logger: context.logger(mode, config.logLevel, audience) };
    },
    async withApp(mode, use) {
      const { config, logger } = context.open(mode);
      // Loaded on first need: --help, usage errors and the text analyzers start without the whole app.
      const { buildApp } = await import('../app.ts');
      const app = await buildApp(config, logger, io.appExtras);
      try {
        return await use(app, logger);
      } finally {
        await app.close();
      }
    },
    async withStore(mode, use) {
      const { config, logger } = context.open(mode);
      const { buildStores } = await import('../composition/stores.ts');
      const stores = await buildStores(config, logger);
      try {
        return await use(stores.request, config);
      } finally {
        await stores.close();
      }
    },
  };
  return context;
}
