import type { FileChurn } from '../../ports/repository.ts';
import type { FunctionFacts } from './function-facts.ts';

/**
 * Hotspots (Tornhill, "Your Code as a Crime Scene"): code that is both complicated and often
 * changed, where complexity costs the most. Per file, churn (commits in the window) and the
 * complexity of its most complex function are each divided by their largest value in the
 * repository, and their product ranks the files. A file must still clear absolute floors, so a
 * calm, simple repository has no hotspot even though one of its files always scores 1.
 */

export interface HotspotCandidate {
  file: string;
  churn: FileChurn;
  functions: FunctionFacts[];
}

export interface Hotspot {
  file: string;
  /** The file's most complex function: where a refactor would start. */
  function: FunctionFacts;
  commits: number;
  linesChanged: number;
  /** churn/max churn × complexity/max complexity, in (0, 1]. */
  score: number;
}

export interface HotspotOptions {
  minCommits: number;
  minComplexity: number;
}

export function rankHotspots(candidates: HotspotCandidate[], options: HotspotOptions): Hotspot[] {
  const withTop = candidates.flatMap((c) => {
    const top = [...c.functions].sort((a, b) => b.complexity - a.complexity)[0];
    return top && c.churn.commits > 0 ? [{ ...c, top }] : [];
  });
  const maxCommits = Math.max(1, ...withTop.map((c) => c.churn.commits));
  const maxComplexity = Math.max(1, ...withTop.map((c) => c.top.complexity));
  return withTop
    .filter((c) => c.churn.commits >= options.minCommits && c.top.complexity >= options.minComplexity)
    .map((c) => ({
      file: c.file,
      function: c.top,
      commits: c.churn.commits,
      linesChanged: c.churn.linesChanged,
      score: Math.round((1000 * c.churn.commits * c.top.complexity) / (maxCommits * maxComplexity)) / 1000,
    }))
    .sort((a, b) => b.score - a.score || b.commits - a.commits);
}
