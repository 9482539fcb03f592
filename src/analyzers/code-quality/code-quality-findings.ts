import type { Finding } from '../../domain/finding.ts';
import type { Priority } from '../../domain/proposal.ts';
import type { FileCoverage } from './coverage-report.ts';
import type { DuplicateBlock } from './duplicate-blocks.ts';
import type { FunctionFacts } from './function-facts.ts';
import type { Hotspot } from './hotspots.ts';

/**
 * One finding per measured problem. Fingerprints are category + file + function name, never line
 * numbers, so a problem that moves down its file is still the same problem; priorities grow with
 * the measured size.
 */

const ANALYZER = 'code_quality';

function finding(fields: Omit<Finding, 'analyzer' | 'type'>): Finding {
  return { analyzer: ANALYZER, type: 'code_quality', ...fields };
}

function bySize(value: number, medium: number, high: number): Priority {
  return value >= high ? 'high' : value >= medium ? 'medium' : 'low';
}

export function complexityFinding(file: string, fn: FunctionFacts, threshold: number): Finding {
  return finding({
    category: 'complexity',
    fingerprint: `${ANALYZER}:complexity:${file}:${fn.name}`,
    title: `Simplify ${fn.name} in ${file} (complexity ${fn.complexity})`,
    summary: `${fn.name} (${file}:${fn.line}) has a cyclomatic complexity of ${fn.complexity}, over the limit of ${threshold}: ${fn.complexity} paths to test and to keep in mind.`,
    evidence: [
      { label: 'cyclomatic complexity', value: fn.complexity },
      { label: 'limit', value: threshold },
      { label: 'function length', value: fn.endLine - fn.line + 1, unit: 'lines' },
    ],
    // Double the limit is hard to follow; triple is where defects cluster.
    priority: bySize(fn.complexity, 2 * threshold, 3 * threshold),
    magnitude: fn.complexity,
    subject: { files: [file] },
    details: { file, function: fn.name, line: fn.line, endLine: fn.endLine, complexity: fn.complexity, threshold },
  });
}

export function duplicationFinding(block: DuplicateBlock, firstFunction: string, secondFunction: string): Finding {
  const [a, b] = [
    { ...block.first, function: firstFunction },
    { ...block.second, function: secondFunction },
  ].sort((x, y) => `${x.file}:${x.function}`.localeCompare(`${y.file}:${y.function}`)) as [Located, Located];
  const where = (l: Located) => `${l.file}:${l.startLine}-${l.endLine}`;
  return finding({
    category: 'duplication',
    fingerprint: `${ANALYZER}:duplication:${a.file}:${a.function}|${b.file}:${b.function}`,
    title: `Remove the ${block.lines}-line duplicate in ${a.file === b.file ? a.file : `${a.file} and ${b.file}`}`,
    summary: `${block.lines} lines (${block.tokens} tokens) are the same in ${where(a)} (${a.function}) and ${where(b)} (${b.function}); a fix made in one copy will be missed in the other.`,
    evidence: [
      { label: 'duplicated lines', value: block.lines, unit: 'lines' },
      { label: 'duplicated tokens', value: block.tokens },
      { label: 'first copy', value: where(a) },
      { label: 'second copy', value: where(b) },
    ],
    priority: bySize(block.lines, 20, 50),
    magnitude: block.lines,
    subject: { files: [...new Set([a.file, b.file])] },
    details: { locations: [a, b], lines: block.lines, tokens: block.tokens },
  });
}

type Located = DuplicateBlock['first'] & { function: string };

export function coverageGapFinding(coverage: FileCoverage, thresholdPct: number, reportSource: string, reportAgeDays: number): Finding {
  const uncovered = coverage.linesTotal - coverage.linesCovered;
  return finding({
    category: 'tests',
    fingerprint: `${ANALYZER}:tests:${coverage.file}`,
    title: `Add tests for ${coverage.file} (${coverage.pct}% of lines covered)`,
    summary: `${uncovered} of ${coverage.linesTotal} lines of ${coverage.file} run in no test (${coverage.pct}% covered, under the ${thresholdPct}% threshold).`,
    evidence: [
      { label: 'line coverage', value: coverage.pct, unit: '%' },
      { label: 'uncovered lines', value: uncovered, unit: 'lines' },
      { label: 'lines', value: coverage.linesTotal, unit: 'lines' },
      { label: 'threshold', value: thresholdPct, unit: '%' },
      { label: 'coverage report age', value: reportAgeDays, unit: 'days' },
    ],
    priority: bySize(uncovered, 50, 200),
    magnitude: uncovered,
    subject: { files: [coverage.file] },
    details: { ...coverage, uncovered, thresholdPct, report: reportSource },
  });
}

export function missingDocFinding(file: string, fn: FunctionFacts): Finding {
  const length = fn.endLine - fn.line + 1;
  return finding({
    category: 'docs',
    fingerprint: `${ANALYZER}:docs:${file}:${fn.name}`,
    title: `Document the exported ${fn.name} in ${file}`,
    summary: `${fn.name} (${file}:${fn.line}) is exported but has no JSDoc comment: callers must read its ${length} lines to learn what it takes and returns.`,
    evidence: [
      { label: 'function length', value: length, unit: 'lines' },
      { label: 'cyclomatic complexity', value: fn.complexity },
    ],
    priority: 'low',
    magnitude: length,
    subject: { files: [file] },
    details: { file, function: fn.name, line: fn.line, endLine: fn.endLine },
  });
}

export function hotspotFinding(hotspot: Hotspot, windowDays: number): Finding {
  const { file, function: fn } = hotspot;
  return finding({
    category: 'refactor',
    fingerprint: `${ANALYZER}:refactor:${file}:${fn.name}`,
    title: `Refactor ${fn.name} in ${file}: changed in ${hotspot.commits} commits, complexity ${fn.complexity}`,
    summary: `${file} changed in ${hotspot.commits} commits (${hotspot.linesChanged} lines) in the last ${windowDays} days, and its ${fn.name} has a complexity of ${fn.complexity}: complicated code that keeps changing is where defects and slow reviews concentrate.`,
    evidence: [
      { label: 'commits in window', value: hotspot.commits },
      { label: 'lines changed in window', value: hotspot.linesChanged, unit: 'lines' },
      { label: 'window', value: windowDays, unit: 'days' },
      { label: 'cyclomatic complexity', value: fn.complexity },
      { label: 'hotspot score', value: hotspot.score },
    ],
    priority: hotspot.score >= 0.5 ? 'high' : hotspot.score >= 0.2 ? 'medium' : 'low',
    magnitude: hotspot.commits * fn.complexity,
    subject: { files: [file] },
    details: {
      file,
      function: fn.name,
      line: fn.line,
      complexity: fn.complexity,
      commits: hotspot.commits,
      linesChanged: hotspot.linesChanged,
      score: hotspot.score,
    },
  });
}
