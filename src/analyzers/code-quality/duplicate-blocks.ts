import { Detector, MemoryStore, getDefaultOptions, type IClone } from '@jscpd/core';
import { Tokenizer, getFormatByFile } from '@jscpd/tokenizer';

/**
 * Copy-pasted code, found by jscpd's own detector (the engine behind `jscpd`, in `@jscpd/core` and
 * `@jscpd/tokenizer`) run in memory on the files as committed at HEAD: no directory scan, no
 * report written anywhere. jscpd hashes every window of `minTokens` tokens (Rabin–Karp) and grows a
 * match while both copies agree; its defaults are 50 tokens and 5 lines, and it counts a clone's
 * lines as end − start, as its own reports do.
 */

export interface SourceText {
  file: string;
  text: string;
}

export interface CloneLocation {
  file: string;
  startLine: number;
  endLine: number;
}

export interface DuplicateBlock {
  /** The copy in the file read later. */
  first: CloneLocation;
  /** The copy it repeats, in a file read earlier (or earlier in the same file). */
  second: CloneLocation;
  tokens: number;
  lines: number;
}

export interface DuplicateOptions {
  minTokens: number;
  minLines: number;
}

export async function findDuplicateBlocks(sources: SourceText[], options: DuplicateOptions): Promise<DuplicateBlock[]> {
  const detector = new Detector(new Tokenizer(), new MemoryStore(), [], {
    ...getDefaultOptions(),
    minTokens: options.minTokens,
    minLines: options.minLines,
    // jscpd drops clones over 1000 lines by default; a long copy is still a copy.
    maxLines: Number.MAX_SAFE_INTEGER,
    silent: true,
    reporters: [],
  });
  const clones: IClone[] = [];
  for (const source of sources) {
    const format = getFormatByFile(source.file);
    if (format) clones.push(...(await detector.detect(source.file, source.text, format)));
  }
  return clones.map((clone) => ({
    first: location(clone.duplicationA),
    second: location(clone.duplicationB),
    tokens: (clone.duplicationA.end.position ?? 0) - (clone.duplicationA.start.position ?? 0),
    lines: clone.duplicationA.end.line - clone.duplicationA.start.line,
  }));
}

function location(duplication: IClone['duplicationA']): CloneLocation {
  return { file: duplication.sourceId, startLine: duplication.start.line, endLine: duplication.end.line };
}
