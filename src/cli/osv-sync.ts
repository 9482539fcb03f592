import type { Command } from 'commander';
import { syncOsv } from '../adapters/osv/osv-sync.ts';
import type { CliContext } from './context.ts';
import { EXIT } from './errors.ts';
import { printJson } from './terminal.ts';

/** `osv-sync`: refreshes OSV_DIR from osv.dev's npm export, for cron or by hand (no server needed). */
export function registerOsvSyncCommand(program: Command, context: CliContext): void {
  program
    .command('osv-sync')
    .description('download the OSV advisories (OSV_SYNC_URL) and replace OSV_DIR with them in one step')
    .option('--json', 'print the outcome as JSON')
    .action(async (flags: { json?: boolean }) => {
      const { config } = context.open(flags);
      if (!config.osv.dir) {
        context.io.stderr.write('OSV_DIR is unset: set it to the folder the advisories should live in.\n');
        context.exitCode = EXIT.usage;
        return;
      }
      const result = await syncOsv({ url: config.osv.syncUrl, dir: config.osv.dir });
      if (flags.json) printJson(context.io.stdout, result);
      else context.io.stdout.write(`${result.files} advisories (${result.bytes} bytes downloaded) are now in ${result.dir}.\n`);
      context.exitCode = EXIT.ok;
    });
}
