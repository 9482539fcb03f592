/**
 * Writes the sample telemetry (Parquet) into a directory. The defaults are the bundled sample's:
 *   npx tsx scripts/generate-sample-telemetry.ts --out ./sample-telemetry
 *   npx tsx scripts/generate-sample-telemetry.ts --out /tmp/small --interactions 5000 --metrics 50000
 * The sample ends at 2026-01-31T00:00:00Z: analyze it with `cycle --type=full --as-of 2026-01-31`.
 */
import { Command, InvalidArgumentError } from 'commander';
import { generateSampleTelemetry } from '../src/demo/sample-telemetry.ts';
import { DEFAULT_SAMPLE_SIZE, SAMPLE_DAYS, SAMPLE_END, SAMPLE_SEED } from '../src/demo/planted.ts';

const wholeNumber = (value: string): number => {
  const parsed = Number(value.replaceAll('_', ''));
  if (!Number.isInteger(parsed) || parsed < 0) throw new InvalidArgumentError('must be a whole number');
  return parsed;
};

const program = new Command('generate-sample-telemetry')
  .description('Generate the sample telemetry with its planted problems (see src/demo/planted.ts)')
  .requiredOption(
    '--out <dir>',
    'directory to write customer_interactions.parquet, api_metrics.parquet, error_logs.parquet and sample.json into',
  )
  .option('--days <n>', 'days covered', wholeNumber, SAMPLE_DAYS)
  .option('--interactions <n>', 'customer interactions', wholeNumber, DEFAULT_SAMPLE_SIZE.interactions)
  .option('--metrics <n>', 'API metric rows (calls)', wholeNumber, DEFAULT_SAMPLE_SIZE.metrics)
  .option('--seed <n>', 'random seed', wholeNumber, SAMPLE_SEED)
  .option('--end <iso time>', 'exclusive end of the sample', SAMPLE_END.toISOString())
  .action(async (options: { out: string; days: number; interactions: number; metrics: number; seed: number; end: string }) => {
    const started = performance.now();
    const end = new Date(options.end);
    if (Number.isNaN(end.getTime())) throw new InvalidArgumentError(`--end ${options.end} is not a date`);
    const manifest = await generateSampleTelemetry(options.out, { ...options, end });
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `Wrote ${manifest.metrics.toLocaleString('en-US')} metric rows, ${manifest.interactions.toLocaleString('en-US')} interactions and ` +
        `${manifest.errors.toLocaleString('en-US')} error rows (${manifest.start} to ${manifest.end}) to ${options.out} in ${seconds} s`,
    );
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
