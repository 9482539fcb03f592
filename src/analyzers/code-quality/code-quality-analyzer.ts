import type { Finding } from '../../domain/finding.ts';
import type { Analyzer, AnalysisContext } from '../../ports/analyzer.ts';
import type { RepositoryReader } from '../../ports/repository.ts';
import { complexityFinding, coverageGapFinding, duplicationFinding, hotspotFinding, missingDocFinding } from './code-quality-findings.ts';
import { readCoverageReport } from './coverage-report.ts';
import { findDuplicateBlocks } from './duplicate-blocks.ts';
import { readFunctionFacts, type FunctionFacts } from './function-facts.ts';
import { rankHotspots } from './hotspots.ts';
import { isTestFile, looksGenerated, sourceKind } from './source-files.ts';

export interface CodeQualitySettings {
  /** A function over this cyclomatic complexity is a finding (ESLint's `max`). Default 10, McCabe's. */
  complexityThreshold?: number;
  /** A file under this line coverage (%) is a finding. Default 80. */
  coverageThresholdPct?: number;
  /** Duplicates shorter than this many tokens are ignored. Default 50 (jscpd's). */
  minDuplicateTokens?: number;
  /** Duplicates shorter than this many lines are ignored. Default 5 (jscpd's). */
  minDuplicateLines?: number;
  /** Tests repeat set-up on purpose; their copies are not reported unless this is true. Default false. */
  duplicationIncludesTests?: boolean;
  /** Churn is counted over this many days before the cycle's window ends. Default 90. */
  churnWindowDays?: number;
  /** A hotspot changed in at least this many commits in the churn window. Default 5. */
  hotspotMinCommits?: number;
  /** ...and has a function at least this complex. Default 5. */
  hotspotMinComplexity?: number;
  /** Findings per category, largest first. Default 10. */
  maxFindingsPerCategory?: number;
  /** Files over this size are skipped (bundles, data). Default 512 KiB. */
  maxFileBytes?: number;
}

export interface CodeQualityAnalyzerDeps {
  repo: RepositoryReader;
  /** The checkout's directory, where untracked coverage reports are found. */
  repoDir: string;
  settings?: CodeQualitySettings;
  now?: () => Date;
  /** Told what was skipped and why (TypeScript files, unparsable files), for the cycle's log. */
  onNote?: (note: string) => void;
}

interface SourceFile {
  file: string;
  text: string;
  isTest: boolean;
  /** Empty for TypeScript, which only the duplicate detector reads. */
  functions: FunctionFacts[];
}

const DAY = 24 * 3600 * 1000;

/**
 * Reads the target repository at HEAD and reports: functions over the complexity limit (ESLint's
 * `complexity` rule), copy-pasted blocks, exported functions without JSDoc, hotspots (churn ×
 * complexity) and files under the coverage threshold (from the last coverage report, when there is
 * one). Complexity, JSDoc and hotspots read JavaScript only: ESLint's default parser does not read
 * TypeScript and no TypeScript parser is a dependency, so .ts files are only checked for duplication
 * (jscpd tokenizes them) and counted in a note.
 */
export function createCodeQualityAnalyzer(deps: CodeQualityAnalyzerDeps): Analyzer {
  const s = deps.settings ?? {};
  const complexityThreshold = s.complexityThreshold ?? 10;
  const coverageThreshold = s.coverageThresholdPct ?? 80;
  const churnDays = s.churnWindowDays ?? 90;
  const cap = s.maxFindingsPerCategory ?? 10;
  const maxBytes = s.maxFileBytes ?? 512 * 1024;
  const now = deps.now ?? (() => new Date());
  const note = deps.onNote ?? (() => {});

  async function readSources(files: string[]): Promise<SourceFile[]> {
    const selected = files.filter((f) => sourceKind(f) !== undefined);
    const texts = await Promise.all(selected.map((f) => deps.repo.readFile(f)));
    const sources: SourceFile[] = [];
    let typescript = 0;
    selected.forEach((file, i) => {
      const text = texts[i];
      if (!text || text.length > maxBytes || looksGenerated(text)) return;
      const source = { file, text, isTest: isTestFile(file), functions: [] };
      if (sourceKind(file) === 'typescript') {
        typescript += 1;
        sources.push(source);
        return;
      }
      const facts = readFunctionFacts(text, file);
      if (facts.ok) sources.push({ ...source, functions: facts.functions });
      else note(`code_quality: could not parse ${file} (${facts.error})`);
    });
    if (typescript)
      note(
        `code_quality: ${typescript} TypeScript files checked for duplication only (ESLint's default parser reads JavaScript; no TypeScript parser is a dependency)`,
      );
    return sources;
  }

  async function duplicates(sources: SourceFile[]): Promise<Finding[]> {
    const inScope = sources.filter((p) => s.duplicationIncludesTests || !p.isTest);
    const blocks = await findDuplicateBlocks(inScope, { minTokens: s.minDuplicateTokens ?? 50, minLines: s.minDuplicateLines ?? 5 });
    const functionsOf = new Map(sources.map((p) => [p.file, p.functions]));
    const byFingerprint = new Map<string, Finding>();
    for (const block of blocks.sort((a, b) => b.lines - a.lines)) {
      const found = duplicationFinding(
        block,
        enclosingFunction(functionsOf.get(block.first.file) ?? [], block.first.startLine),
        enclosingFunction(functionsOf.get(block.second.file) ?? [], block.second.startLine),
      );
      if (!byFingerprint.has(found.fingerprint)) byFingerprint.set(found.fingerprint, found);
    }
    return [...byFingerprint.values()].slice(0, cap);
  }

  async function hotspots(sources: SourceFile[], context: AnalysisContext): Promise<Finding[]> {
    const until = context.window.to;
    const churn = await deps.repo.churn(new Date(until.getTime() - churnDays * DAY), until);
    const candidates = sources
      .filter((p) => !p.isTest && p.functions.length > 0 && churn.has(p.file))
      .map((p) => ({ file: p.file, churn: churn.get(p.file) ?? { commits: 0, linesChanged: 0 }, functions: p.functions }));
    const ranked = rankHotspots(candidates, { minCommits: s.hotspotMinCommits ?? 5, minComplexity: s.hotspotMinComplexity ?? 5 });
    return ranked.slice(0, cap).map((h) => hotspotFinding(h, churnDays));
  }

  async function coverageGaps(files: string[]): Promise<Finding[]> {
    const report = await readCoverageReport(deps.repoDir, files);
    if (!report) return [];
    const ageDays = Math.max(0, Math.floor((now().getTime() - report.modifiedAt.getTime()) / DAY));
    return report.files
      .filter((c) => sourceKind(c.file) !== undefined && !isTestFile(c.file) && c.pct < coverageThreshold)
      .sort((a, b) => b.linesTotal - b.linesCovered - (a.linesTotal - a.linesCovered))
      .slice(0, cap)
      .map((c) => coverageGapFinding(c, coverageThreshold, report.source, ageDays));
  }

  return {
    name: 'code_quality',
    cycles: ['monthly'],
    async analyze(context) {
      const files = await deps.repo.listFiles();
      const sources = await readSources(files);
      const product = sources.filter((p) => !p.isTest);
      const functions = product.flatMap((p) => p.functions.map((fn) => ({ file: p.file, fn })));

      const complex = functions
        .filter(({ fn }) => fn.complexity > complexityThreshold)
        .sort((a, b) => b.fn.complexity - a.fn.complexity)
        .slice(0, cap)
        .map(({ file, fn }) => complexityFinding(file, fn, complexityThreshold));
      const undocumented = functions
        .filter(({ fn }) => fn.exported && !fn.documented)
        .sort((a, b) => b.fn.complexity - a.fn.complexity || b.fn.endLine - b.fn.line - (a.fn.endLine - a.fn.line))
        .slice(0, cap)
        .map(({ file, fn }) => missingDocFinding(file, fn));

      return [
        ...complex,
        ...(await duplicates(sources)),
        ...undocumented,
        ...(await hotspots(product, context)),
        ...(await coverageGaps(files)),
      ];
    },
  };
}

/** The innermost function around a line, or "(top level)": names a duplicate's place without its line number. */
function enclosingFunction(functions: FunctionFacts[], line: number): string {
  const around = functions.filter((fn) => fn.line <= line && line <= fn.endLine);
  around.sort((a, b) => a.endLine - a.line - (b.endLine - b.line));
  return around[0]?.name ?? '(top level)';
}
