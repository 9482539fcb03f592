import type { AnnotatedInteraction } from './topic-stats.ts';

/**
 * Which conversations the topic clustering sees (its memory is n², so at most `size` of them).
 * Problems are rare and the clustering only finds a topic it sees often enough, so the sample is
 * stratified: up to a quarter unsure answers, up to a third more bad verdicts, the rest everything
 * else; quota a stratum cannot fill goes to the others. The sample only finds the topics: every
 * conversation is then assigned to one (topics.ts), so oversampling skews no rate.
 * Within a stratum the pick is by a hash of the row's content, so input order never decides.
 */
export function topicSample(interactions: readonly AnnotatedInteraction[], size: number): number[] {
  if (interactions.length <= size) return interactions.map((_, i) => i);
  const unsure: number[] = [];
  const bad: number[] = [];
  const rest: number[] = [];
  interactions.forEach((m, i) => (m.uncertainty.length > 0 ? unsure : m.verdict === 'bad' ? bad : rest).push(i));
  const hashes = interactions.map(rowHash);
  const strata = [unsure, bad, rest].map((indices) => indices.sort((a, b) => hashes[a]! - hashes[b]! || a - b));
  const taken = stratumQuotas(
    strata.map((indices) => indices.length),
    size,
  );
  return strata.flatMap((indices, s) => indices.slice(0, taken[s])).sort((a, b) => a - b);
}

/**
 * How many of each stratum (unsure, bad, the rest) a sample of `size` takes: up to a quarter unsure,
 * up to a third bad, the rest of the room to the rest, then what a stratum could not fill to the others in order.
 */
export function stratumQuotas(sizes: readonly number[], size: number): [number, number, number] {
  const [unsure, bad, rest] = sizes as [number, number, number];
  const taken: [number, number, number] = [Math.min(unsure, Math.floor(size / 4)), Math.min(bad, Math.floor(size / 3)), 0];
  taken[2] = Math.min(rest, size - taken[0] - taken[1]);
  let room = size - taken[0] - taken[1] - taken[2];
  for (let s = 0; s < 3 && room > 0; s++) {
    const more = Math.min(room, sizes[s]! - taken[s]!);
    taken[s]! += more;
    room -= more;
  }
  return taken;
}

/** FNV-1a over the fields that identify a row: cheap, stable, and spread enough to sample by. */
export function rowHash(m: Pick<AnnotatedInteraction, 'customerId' | 'timestamp' | 'message'>): number {
  const text = `${m.customerId}\u0000${m.timestamp.getTime()}\u0000${m.message}`;
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}
