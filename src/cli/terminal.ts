import type { OutputStream } from './context.ts';

export interface Paint {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

const ANSI = { bold: [1, 22], dim: [2, 22], red: [31, 39], green: [32, 39], yellow: [33, 39], cyan: [36, 39] } as const;

/**
 * Color only for a person at a terminal: never into a pipe or a file, and never when NO_COLOR is set
 * to anything non-empty (https://no-color.org).
 */
export function paintFor(stream: OutputStream, env: NodeJS.ProcessEnv): Paint {
  const enabled = Boolean(stream.isTTY) && !env.NO_COLOR;
  const style = (codes: readonly [number, number]) => (text: string) => (enabled ? `\u001b[${codes[0]}m${text}\u001b[${codes[1]}m` : text);
  return {
    bold: style(ANSI.bold),
    dim: style(ANSI.dim),
    red: style(ANSI.red),
    green: style(ANSI.green),
    yellow: style(ANSI.yellow),
    cyan: style(ANSI.cyan),
  };
}

export function printJson(stream: OutputStream, value: unknown): void {
  stream.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** How wide a table may be on this stream: the window's width on a terminal, unlimited elsewhere. */
export function widthOf(stream: OutputStream): number {
  return stream.isTTY && stream.columns ? stream.columns : Infinity;
}

/**
 * Aligned columns with a header. `style` colors a cell after it is padded, so escape codes never
 * count towards the width; the last column is cut to fit `width`.
 */
export function renderTable(
  headers: string[],
  rows: string[][],
  options: { width?: number; style?: (column: number, padded: string) => string } = {},
): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const last = headers.length - 1;
  const room = (options.width ?? Infinity) - widths.slice(0, last).reduce((sum, w) => sum + w + 2, 0);
  const plain = (_: number, padded: string) => padded;
  const line = (cells: string[], paint: (column: number, padded: string) => string) =>
    cells
      .map((cell, i) => paint(i, i === last ? fit(cell, room) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers, plain), ...rows.map((r) => line(r, options.style ?? plain))].join('\n');
}

function fit(text: string, room: number): string {
  if (text.length <= room || room < 8) return text;
  return `${text.slice(0, room - 1)}…`;
}
