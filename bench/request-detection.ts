/**
 * Feature-request detection on real labelled app reviews: 487 sentences of the ICSME 2015 truth set
 * of Panichella et al. (test/fixtures/feature-requests, origin and licence in its README), in two
 * parts: the 319 the detector's app-review rules were revised on, and the 168 after them, held out;
 * each labelled feature request / problem discovery / information seeking / information giving.
 * A sentence counts as a request when its label is "feature request". Printed beside ours, from the
 * same run: a keyword baseline in the manner of Maalej & Nabil's string matching (RE 2015: a sentence
 * holding any request keyword is a request), and the floor that calls everything a request.
 *
 *   node --import tsx bench/request-detection.ts
 */
import { detectFeatureRequest } from '../src/analyzers/features/detect-request.ts';
import { loadLabelledSentences, type FixturePart } from '../test/fixtures/feature-requests/icsme2015.ts';

const KEYWORDS = /\b(?:add|allow|could|feature|hope|please|prefer|suggest|should|wish|would like|would be nice|need|want)\b/i;

function scores(truth: boolean[], name: string, predicted: boolean[]): string {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  predicted.forEach((p, i) => {
    if (p && truth[i]) tp += 1;
    else if (p) fp += 1;
    else if (truth[i]) fn += 1;
  });
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return `  ${name.padEnd(42)} ${precision.toFixed(3).padStart(9)} ${recall.toFixed(3).padStart(7)} ${f1.toFixed(3).padStart(6)}   ${tp} / ${fp} / ${fn}`;
}

const parts: [FixturePart, string][] = [
  ['first', 'rows the rules were revised on'],
  ['held-out', 'rows after them, not read while revising'],
];
console.log(`${'ICSME 2015 truth set'.padEnd(44)} ${'precision'.padStart(9)} ${'recall'.padStart(7)} ${'F1'.padStart(6)}   TP / FP / FN`);
for (const [part, title] of parts) {
  const sentences = loadLabelledSentences(part);
  const truth = sentences.map((s) => s.label === 'feature request');
  console.log(`${part} (${title}): ${sentences.length} sentences, ${truth.filter(Boolean).length} feature requests`);
  console.log(
    scores(
      truth,
      'ours (detect-request.ts)',
      sentences.map((s) => detectFeatureRequest(s.text).isRequest),
    ),
  );
  console.log(
    scores(
      truth,
      'keyword baseline (any request keyword)',
      sentences.map((s) => KEYWORDS.test(s.text)),
    ),
  );
  console.log(
    scores(
      truth,
      'floor: everything is a request',
      sentences.map(() => true),
    ),
  );
  if (process.argv.includes('--misses')) {
    sentences.forEach((s, i) => {
      const verdict = detectFeatureRequest(s.text);
      if (verdict.isRequest !== truth[i])
        console.log(`    ${truth[i] ? 'missed' : 'false '} ${verdict.confidence.toFixed(2)} [${verdict.signals.join(', ')}] ${s.text}`);
    });
  }
}
