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
  const taken = [Math.min(unsure.length, Math.floor(size / 4)), Math.min(bad.length, Math.floor(size / 3))];
  taken.push(Math.min(rest.length, size - taken[0]! - taken[1]!));
  let room = size - taken.reduce((sum, n) => sum + n, 0);
  for (let s = 0; s < strata.length && room > 0; s++) {
    const more = Math.min(room, strata[s]!.length - taken[s]!);
    taken[s]! += more;
    room -= more;
  }
  return strata.flatMap((indices, s) => indices.slice(0, taken[s])).sort((a, b) => a - b);
}

/** FNV-1a over the fields that identify a row: cheap, stable, and spread enough to sample by. */
function rowHash(m: AnnotatedInteraction): number {
  const text = `${m.customerId}\u0000${m.timestamp.getTime()}\u0000${m.message}`;
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}
