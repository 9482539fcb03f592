import type { ImprovementLoop, AppExtras } from '../app.ts';
import { loadConfig, type Config } from '../config.ts';
import { createLogger, silentLogger, type Logger } from '../logging.ts';

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
  /** Added to the app the commands build (embedding, tests). */
  appExtras?: AppExtras;
}

/** Whether a command was asked for machine output: then the logger is silent and stdout holds one JSON document. */
export interface OutputMode {
  json?: boolean;
}

/** Everything a command needs, handed to each command group when it registers. */
export interface CliContext {
  io: CliIo;
  /** Reads and validates the configuration (ConfigError on a wrong value) and makes the logger. */
  open(mode: OutputMode): { config: Config; logger: Logger };
  /** Builds the app, lends it to `use`, and closes it whatever happens. */
  withApp<T>(mode: OutputMode, use: (app: ImprovementLoop, logger: Logger) => Promise<T>): Promise<T>;
  /** The exit code a command chose for a run that completed (a cycle with errors: 1). */
  exitCode: number;
}

export function createCliContext(io: CliIo): CliContext {
  // Commands open the configuration themselves, after parsing, so `--help` and usage errors work
  // even when a variable is wrong, and so the logger knows whether --json asked for silence.
  const context: CliContext = {
    io,
    exitCode: 0,
    open(mode) {
      const config = loadConfig(io.env);
      const logger = mode.json ? silentLogger() : createLogger(config.logLevel, io.stderr);
      return { config, logger };
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
  };
  return context;
}
