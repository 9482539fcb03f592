import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { applyEnvFile } from '../env-file.ts';
import { registerTextAnalyzerCommands } from './analyze-text.ts';
import { createCliContext, type CliContext, type CliIo } from './context.ts';
import { registerCycleCommand } from './cycle.ts';
import { describeFailure, EXIT } from './errors.ts';
import { registerJobCommands } from './jobs.ts';
import { registerOsvSyncCommand } from './osv-sync.ts';
import { registerProposalCommands } from './proposals.ts';
import { registerServeCommand } from './serve.ts';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/**
 * Runs the CLI on `argv` (as in process.argv: node, script, then the arguments) and returns the exit
 * code: 0 ok, 1 failure, 2 bad usage or configuration. It never calls process.exit, so everything
 * written has been flushed and every store closed when the caller sets the code.
 */
export async function runCli(
  argv: string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() },
): Promise<number> {
  const context = createCliContext(io);
  const program = buildProgram(context);
  try {
    // Before any command reads the configuration; a .env that cannot be read is a configuration error.
    if (io.cwd !== undefined) {
      const envFile = applyEnvFile(io.env, io.cwd);
      if (envFile) context.envFile = envFile;
    }
    await program.parseAsync(argv, { from: 'node' });
    return context.exitCode;
  } catch (error) {
    // commander has already printed its message (unknown command or option, invalid value, --help).
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    const failure = describeFailure(error);
    io.stderr.write(`error: ${failure.message}\n${failure.detail ? detailFor(failure.detail, context.showStacks()) : ''}`);
    return failure.exitCode;
  }
}

/** An unexpected error's stack helps whoever debugs it; everyone else is told how to see it. */
function detailFor(stack: string, show: boolean): string {
  return show ? `${stack}\n` : '(this looks like a bug; run again with --verbose to see where it happened)\n';
}

function buildProgram(context: CliContext): Command {
  const program = new Command('improvement-loop')
    .description('files improvement proposals from telemetry and lets people approve, reject and execute them')
    .version(version)
    .option('--verbose', 'also print info log lines and the stack trace of an unexpected error')
    // Settings made before the subcommands exist are inherited by them.
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.io.stdout.write(text),
      writeErr: (text) => context.io.stderr.write(text),
    })
    .showHelpAfterError('(add --help for usage)')
    // Before every command's action: the root's options (given before or after the command's name) are known by then.
    .hook('preAction', () => {
      context.verbose = Boolean(program.opts<{ verbose?: boolean }>().verbose);
    });
  registerServeCommand(program, context);
  registerCycleCommand(program, context);
  registerProposalCommands(program, context);
  registerTextAnalyzerCommands(program, context);
  registerJobCommands(program, context);
  registerOsvSyncCommand(program, context);
  return program;
}
