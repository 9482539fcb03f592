/**
 * Feature-request detection on labelled public messages (test/fixtures/feature-requests, origin and
 * licence in its README), each source in two parts: the part the detector's rules were revised on, and
 * the part after it, held out.
 * - Jira summaries of Apache Hadoop 3.3.0 and 3.1.0 (Apache-2.0): a New Feature is a request, a Bug is
 *   not; 3.1.0 was added after the rules were set and is all held out.
 * - CLINC150 utterances to an assistant (CC BY 3.0): tasks asked in request phrasing ("can you add
 *   apples to my shopping list", "i need a table for 3"), none a feature request; only false alarms count.
 * Printed beside ours, from the same run: a keyword baseline in the manner of Maalej & Nabil's string
 * matching (RE 2015: a message holding any request keyword is a request), and the floor that calls
 * everything a request.
 *
 *   node --import tsx bench/request-detection.ts [--misses]
 */
import { detectFeatureRequest } from '../src/analyzers/features/detect-request.ts';
import {
  loadAssistantUtterances,
  loadJiraSummaries,
  type FixturePart,
  type LabelledMessage,
} from '../test/fixtures/feature-requests/labelled-messages.ts';

const KEYWORDS = /\b(?:add|allow|could|feature|hope|please|prefer|suggest|should|wish|would like|would be nice|need|want)\b/i;

const DETECTORS: [string, (text: string) => boolean][] = [
  ['ours (detect-request.ts)', (text) => detectFeatureRequest(text).isRequest],
  ['keyword baseline (any request keyword)', (text) => KEYWORDS.test(text)],
  ['floor: everything is a request', () => true],
];

function row(name: string, messages: LabelledMessage[], predicted: boolean[]): string {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  predicted.forEach((p, i) => {
    if (p && messages[i]!.isRequest) tp += 1;
    else if (p) fp += 1;
    else if (messages[i]!.isRequest) fn += 1;
  });
  const positives = tp + fn;
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = positives === 0 ? Number.NaN : tp / positives;
  const f1 = precision + recall === 0 || positives === 0 ? Number.NaN : (2 * precision * recall) / (precision + recall);
  const cell = (x: number, width: number) => (Number.isNaN(x) ? '—' : x.toFixed(3)).padStart(width);
  const falseAlarmRate = (fp / (messages.length - positives)).toFixed(3).padStart(11);
  return `  ${name.padEnd(42)} ${positives === 0 ? '—'.padStart(9) : cell(precision, 9)} ${cell(recall, 7)} ${cell(f1, 6)} ${falseAlarmRate}   ${tp} / ${fp} / ${fn}`;
}

const SOURCES: [string, (part: FixturePart) => LabelledMessage[]][] = [
  ['Hadoop Jira summaries, New Feature vs Bug', loadJiraSummaries],
  ['CLINC150 assistant utterances, no feature request', loadAssistantUtterances],
];
const PARTS: [FixturePart, string][] = [
  ['first', 'the rules were revised on this part'],
  ['held-out', 'not read while revising'],
];

console.log(
  `${''.padEnd(44)} ${'precision'.padStart(9)} ${'recall'.padStart(7)} ${'F1'.padStart(6)} ${'false alarm'.padStart(11)}   TP / FP / FN`,
);
for (const [source, load] of SOURCES) {
  for (const [part, title] of PARTS) {
    const messages = load(part);
    console.log(`${source}, ${part} (${title}): ${messages.length} messages, ${messages.filter((m) => m.isRequest).length} requests`);
    for (const [name, detect] of DETECTORS) {
      console.log(
        row(
          name,
          messages,
          messages.map((m) => detect(m.text)),
        ),
      );
    }
    if (process.argv.includes('--misses')) {
      for (const m of messages) {
        const verdict = detectFeatureRequest(m.text);
        if (verdict.isRequest !== m.isRequest)
          console.log(
            `    ${m.isRequest ? 'missed' : 'false '} ${verdict.confidence.toFixed(2)} [${verdict.signals.join(', ')}] ${m.text}`,
          );
      }
    }
  }
}
