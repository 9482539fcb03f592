import type { Command } from 'commander';
import type { CliContext } from './context.ts';

export function registerServeCommand(program: Command, context: CliContext): void {
  program
    .command('serve')
    .description('start the HTTP API; runs until SIGTERM or SIGINT, then finishes in-flight requests and stops')
    .action(async () => {
      const { config, logger } = context.open({});
      // Loaded here, not at the top: the other commands then start without Express and the API.
      const { startServer } = await import('../main.ts');
      const running = await startServer(config, logger, (line) => context.io.stdout.write(`${line}\n`));
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
