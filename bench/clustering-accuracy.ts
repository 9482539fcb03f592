/**
 * Theme clustering scored on its own: the CLINC150 fixture (1,000 utterances, 50 intents), every
 * line clustered as `cluster-requests --all` clusters it (nearest-neighbour communities, theme-clustering.ts),
 * the number of intents unknown to it.
 * Printed beside, from the same run: spherical k-means on the same TF-IDF words given the TRUE k
 * (k-means++ seeding, best of 5 seeds by within-cluster similarity), and the two floors, every line
 * alone and all lines in one cluster. Scores: Hungarian 1:1 accuracy and NMI (clustering-scores.ts),
 * on the first 25 intents (on which the settings were chosen), the last 25 and all 50.
 *
 *   node --import tsx bench/clustering-accuracy.ts
 */
import { readFileSync } from 'node:fs';
import { requestThemes } from '../src/analyzers/features/cluster-requests.ts';
import { clusteringAccuracy, normalizedMutualInformation } from '../src/analyzers/features/clustering-scores.ts';
import { lineTerms } from '../src/analyzers/features/synonyms.ts';
import { cosine, tfIdfVectors, type SparseVector } from '../src/analyzers/features/text-vectors.ts';
import { seededRandom } from '../src/analyzers/performance/seeded-random.ts';

const FIXTURE = new URL('../test/fixtures/intent-clustering/clinc150-val-first50.json', import.meta.url);
const intents = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, string[]>;
const names = Object.keys(intents);

// The settings were chosen on the first 25 intents only; the last 25 are unseen, and the whole 50
// (where sibling intents such as `pto_request` and `pto_request_status` fall in different halves)
// is the figure quoted in the README.
const subsets: [string, string[]][] = [
  ['first 25 intents (tuning)', names.slice(0, 25)],
  ['last 25 intents (held out)', names.slice(25)],
  ['all 50 intents', names],
];

console.log(`CLINC150 val, first ${names.length} intents, 20 lines each; number of intents unknown to ours`);
console.log(`${'subset / method'.padEnd(52)} ${'ACC'.padStart(6)} ${'NMI'.padStart(6)} ${'clusters'.padStart(9)} time`);
for (const [title, subset] of subsets) {
  const texts = subset.flatMap((intent) => intents[intent]!);
  const truth = subset.flatMap((intent) => intents[intent]!.map(() => intent));
  const row = (name: string, predicted: (string | number)[], ms: number | null, clusters: number): string => {
    const acc = clusteringAccuracy(truth, predicted).toFixed(3);
    const nmi = normalizedMutualInformation(truth, predicted).toFixed(3);
    return `  ${name.padEnd(50)} ${acc.padStart(6)} ${nmi.padStart(6)} ${String(clusters).padStart(9)} ${ms === null ? '' : `${ms} ms`}`;
  };
  let started = Date.now();
  const ours = requestThemes(texts, { vocabulary: 'lines' });
  const oursMs = Date.now() - started;
  const oursLabels: (string | number)[] = texts.map((_, i) => `unthemed-${i}`);
  ours.themes.forEach((theme, c) => theme.members.forEach((m) => (oursLabels[m] = c)));
  started = Date.now();
  const kmeans = bestKMeans(tfIdfVectors(texts.map((t) => lineTerms(t).map((term) => term.stem))), subset.length, 5);
  const kmeansMs = Date.now() - started;
  console.log(`${title}: ${texts.length} lines`);
  console.log(row('ours (cluster-requests --all, k unknown)', oursLabels, oursMs, ours.themes.length));
  console.log(row(`k-means on TF-IDF words, true k = ${subset.length}`, kmeans, kmeansMs, new Set(kmeans).size));
  console.log(
    row(
      'floor: every line alone',
      texts.map((_, i) => i),
      null,
      texts.length,
    ),
  );
  console.log(
    row(
      'floor: one cluster',
      texts.map(() => 0),
      null,
      1,
    ),
  );
  console.log(
    `  ours: ${ours.distinctTexts} distinct texts, ${ours.comparisons} similarities computed (all pairs: ${(texts.length * (texts.length - 1)) / 2})`,
  );
}

/** Spherical k-means, k-means++ seeding from a fixed-seed generator; the best of `restarts` runs. */
function bestKMeans(vectors: SparseVector[], clusters: number, restarts: number): number[] {
  let best: { score: number; assignment: number[] } | null = null;
  for (let seed = 1; seed <= restarts; seed++) {
    const run = kMeans(vectors, clusters, seed);
    if (!best || run.score > best.score) best = run;
  }
  return best!.assignment;
}

function kMeans(vectors: SparseVector[], clusters: number, seed: number): { score: number; assignment: number[] } {
  const random = seededRandom(seed);
  const centroids: SparseVector[] = [vectors[Math.floor(random() * vectors.length)]!];
  while (centroids.length < clusters) {
    const distance = vectors.map((v) => 1 - Math.max(...centroids.map((c) => cosine(v, c))));
    let r = random() * distance.reduce((s, d) => s + d, 0);
    let pick = 0;
    while (pick < vectors.length - 1 && (r -= distance[pick]!) > 0) pick++;
    centroids.push(vectors[pick]!);
  }
  let assignment: number[] = [];
  for (let round = 0; round < 30; round++) {
    const next = vectors.map((v) => {
      let bestC = 0;
      for (let c = 1; c < centroids.length; c++) if (cosine(v, centroids[c]!) > cosine(v, centroids[bestC]!)) bestC = c;
      return bestC;
    });
    if (next.every((c, i) => c === assignment[i])) break;
    assignment = next;
    for (let c = 0; c < centroids.length; c++) {
      const mean: SparseVector = new Map();
      assignment.forEach((a, i) => {
        if (a === c) for (const [t, w] of vectors[i]!) mean.set(t, (mean.get(t) ?? 0) + w);
      });
      const norm = Math.sqrt([...mean.values()].reduce((s, w) => s + w * w, 0));
      if (norm > 0) centroids[c] = new Map([...mean].map(([t, w]) => [t, w / norm]));
    }
  }
  const score = vectors.reduce((s, v, i) => s + cosine(v, centroids[assignment[i]!]!), 0);
  return { score, assignment };
}

// The issue asks for 2,000 lines in under a minute on one core; the fixture has 1,000, so each line
// also comes again with a word added, which makes it a distinct text.
{
  const lines = Object.values(intents).flat();
  const doubled = [...lines, ...lines.map((line) => `${line} thanks`)];
  const cpu = process.cpuUsage();
  const started = Date.now();
  const { themes, distinctTexts } = requestThemes(doubled, { vocabulary: 'lines' });
  const used = process.cpuUsage(cpu);
  console.log(
    `${doubled.length} lines (${distinctTexts} distinct): ${themes.length} themes in ${Date.now() - started} ms wall, ${Math.round((used.user + used.system) / 1000)} ms CPU`,
  );
}
