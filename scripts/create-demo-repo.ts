/**
 * Creates the demo target repository (a small Node web service with a scripted git history whose
 * commits introduced the problems planted in the sample telemetry). An existing repository at the
 * path is left as it is.
 *   npx tsx scripts/create-demo-repo.ts --dir ./demo-repo
 */
import { Command } from 'commander';
import { createDemoRepo } from '../src/demo/demo-repo.ts';

const program = new Command('create-demo-repo')
  .description('Create the demo target repository (see src/demo/demo-history.ts and src/demo/planted.ts)')
  .requiredOption('--dir <dir>', 'where to create it')
  .action(async (options: { dir: string }) => {
    const repo = await createDemoRepo({ dir: options.dir });
    console.log(
      repo.created
        ? `Created the demo repository at ${repo.dir} (HEAD ${repo.head})`
        : `A repository is already at ${repo.dir} (HEAD ${repo.head}); left as it is`,
    );
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
