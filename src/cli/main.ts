import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { registerTextAnalyzerCommands } from './analyze-text.ts';
import { createCliContext, type CliContext, type CliIo } from './context.ts';
import { registerCycleCommand } from './cycle.ts';
import { describeFailure, EXIT } from './errors.ts';
import { registerJobCommands } from './jobs.ts';
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
  io: CliIo = { stdout: process.stdout, stderr: process.stderr, env: process.env },
): Promise<number> {
  const context = createCliContext(io);
  const program = buildProgram(context);
  try {
    await program.parseAsync(argv, { from: 'node' });
    return context.exitCode;
  } catch (error) {
    // commander has already printed its message (unknown command or option, invalid value, --help).
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    const failure = describeFailure(error);
    io.stderr.write(`error: ${failure.message}\n${failure.detail ? `${failure.detail}\n` : ''}`);
    return failure.exitCode;
  }
}

function buildProgram(context: CliContext): Command {
  const program = new Command('improvement-loop')
    .description('files improvement proposals from telemetry and lets people approve, reject and execute them')
    .version(version)
    // Settings made before the subcommands exist are inherited by them.
    .exitOverride()
    .configureOutput({
      writeOut: (text) => context.io.stdout.write(text),
      writeErr: (text) => context.io.stderr.write(text),
    })
    .showHelpAfterError('(add --help for usage)');
  registerServeCommand(program, context);
  registerCycleCommand(program, context);
  registerProposalCommands(program, context);
  registerTextAnalyzerCommands(program, context);
  registerJobCommands(program, context);
  return program;
}
