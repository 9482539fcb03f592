import { expectedErrorCount, PLANTED_ERROR_GROUPS } from '../planted.ts';
import { NOISE_ERRORS, PLANTED_MESSAGE_MAKERS } from './error-messages.ts';
import type { ColumnValues, ParquetTableWriter } from './parquet-table-writer.ts';
import { SampleRandom } from './sample-random.ts';
import { sampleTimes } from './traffic-curve.ts';

interface ErrorRow {
  time: number;
  severity: string;
  errorType: string;
  message: string;
  stack: string | null;
  endpoint: string | null;
}

/**
 * Writes the planted error groups (exactly expectedErrorCount of each, from the day its commit
 * landed) and the noise errors over [fromMs, toMs), in time order. Returns the number of rows.
 */
export async function writeErrors(writer: ParquetTableWriter, fromMs: number, toMs: number, seed: number): Promise<number> {
  const random = new SampleRandom(seed, 4);
  const rows: ErrorRow[] = [];
  for (const group of PLANTED_ERROR_GROUPS) {
    const count = expectedErrorCount(group, new Date(fromMs), new Date(toMs));
    const makeMessage = PLANTED_MESSAGE_MAKERS[group.key]!;
    for (const time of sampleTimes(count, Math.max(fromMs, group.startsAt.getTime()), toMs, random)) {
      const message = makeMessage(random);
      rows.push({ time, severity: 'error', errorType: group.errorType, message, stack: stackOf(group.errorType, message, group.stackFrames), endpoint: group.endpoint });
    }
  }
  for (const noise of NOISE_ERRORS) {
    for (const time of sampleTimes(noise.count, fromMs, toMs, random)) {
      const message = noise.message(random);
      const stack = noise.stack.length > 0 ? stackOf(noise.errorType, message, noise.stack) : null;
      rows.push({ time, severity: noise.severity, errorType: noise.errorType, message, stack, endpoint: noise.endpoint });
    }
  }
  // Stable sort: rows at the same millisecond keep their generation order, so the bytes repeat.
  rows.sort((a, b) => a.time - b.time);
  await writer.append([
    rows.map((row) => row.time),
    rows.map((row) => row.severity),
    rows.map((row) => row.errorType),
    rows.map((row) => row.message),
    rows.map((row) => row.stack),
    rows.map((row) => row.endpoint),
  ]);
  return rows.length;
}

function stackOf(errorType: string, message: string, frames: readonly string[]): string {
  return [`${errorType}: ${message}`, ...frames].join('\n');
}
