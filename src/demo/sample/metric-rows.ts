import { ENDPOINT_PROFILES, PLANTED_REGRESSION } from '../planted.ts';
import { apportion } from './apportion.ts';
import type { ColumnValues, ParquetTableWriter } from './parquet-table-writer.ts';
import { SampleRandom, shuffledLabels } from './sample-random.ts';
import { sampleTimes } from './traffic-curve.ts';

const BATCH = 65_536;

/** Writes `total` API calls over [fromMs, toMs): endpoint counts exact by share, latencies lognormal per endpoint. */
export async function writeMetrics(writer: ParquetTableWriter, total: number, fromMs: number, toMs: number, seed: number): Promise<number> {
  const random = new SampleRandom(seed, 3);
  const endpointOfRow = shuffledLabels(apportion(total, ENDPOINT_PROFILES.map((profile) => profile.share)), random);
  const times = sampleTimes(total, fromMs, toMs, random);
  const regressionStart = PLANTED_REGRESSION.startsAt.getTime();

  for (let start = 0; start < total; start += BATCH) {
    const end = Math.min(total, start + BATCH);
    const columns: ColumnValues[] = Array.from({ length: 5 }, () => []);
    for (let row = start; row < end; row++) {
      const profile = ENDPOINT_PROFILES[endpointOfRow[row]!]!;
      const time = times[row]!;
      const regressed = profile.endpoint === PLANTED_REGRESSION.endpoint && time >= regressionStart;
      const median = regressed ? PLANTED_REGRESSION.afterP50Ms : profile.medianMs;
      const failed = random.uniform() < profile.errorRate;
      columns[0]!.push(time);
      columns[1]!.push(profile.endpoint);
      columns[2]!.push(Math.round(random.lognormal(median, profile.sigma) * 10) / 10);
      columns[3]!.push(failed ? 1 : 0);
      columns[4]!.push(failed ? 500 : 200);
    }
    await writer.append(columns);
  }
  return total;
}
