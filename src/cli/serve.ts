import type { Command } from 'commander';
import { describeEnvFile } from '../env-file.ts';
import type { CliContext } from './context.ts';

export function registerServeCommand(program: Command, context: CliContext): void {
  program
    .command('serve')
    .description('start the HTTP API; runs until SIGTERM or SIGINT, then finishes in-flight requests and stops')
    .action(async () => {
      const { config, logger } = context.open({}, 'server');
      const print = (line: string) => context.io.stdout.write(`${line}\n`);
      if (context.envFile) print(`${'settings'.padEnd(10)} ${describeEnvFile(context.envFile)}`);
      // Loaded here, not at the top: the other commands then start without Express and the API.
      const { startServer } = await import('../main.ts');
      const running = await startServer(config, logger, print);
      const signal = await nextSignal(['SIGTERM', 'SIGINT']);
      logger.info({ signal }, 'shutting down');
      await running.close();
    });
}

function nextSignal(signals: NodeJS.Signals[]): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const handlers = signals.map((signal) => {
      const handler = () => {
        signals.forEach((s, i) => process.off(s, handlers[i]!));
        resolve(signal);
      };
      process.on(signal, handler);
      return handler;
    });
  });
}
