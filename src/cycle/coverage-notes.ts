import type { AnalysisWindow } from '../ports/analyzer.ts';
import type { TableCoverage } from '../ports/warehouse.ts';

const DAY_MS = 86_400_000;

/**
 * What a cycle's report says when its window holds no telemetry, so "0 findings" is never read as
 * "healthy": the rows seen, the newest timestamp, and how to reach data (an --as-of that covers the
 * newest day, or other telemetry). A table empty in a window the others fill is named too.
 */
export function coverageNotes(coverage: readonly TableCoverage[], window: AnalysisWindow): string[] {
  if (coverage.length === 0) return [];
  const span = `${window.from.toISOString()} → ${window.to.toISOString()}`;
  const empty = coverage.filter((table) => table.rowsInWindow === 0);
  if (empty.length < coverage.length) {
    return empty.map((table) => `${table.table} has no rows in the window ${span}${newestOf(table)}; analyzers reading it found nothing`);
  }
  const newest = Math.max(...coverage.map((table) => table.newest?.getTime() ?? -Infinity));
  const tables = coverage.map((table) => table.table).join(', ');
  if (!Number.isFinite(newest)) {
    return [`No telemetry at all: ${tables} hold 0 rows. Point TELEMETRY_DIR (or BIGQUERY_PROJECT) at telemetry with rows.`];
  }
  // The next UTC midnight after the newest row: a daily cycle as of then reads the newest day.
  const asOf = new Date((Math.floor(newest / DAY_MS) + 1) * DAY_MS).toISOString();
  return [
    `No telemetry in the window ${span}: 0 rows in ${tables}; the newest row is ${new Date(newest).toISOString()} ` +
      `(${coverage.map((table) => `${table.table}${newestOf(table)}`).join('; ')}). ` +
      `0 findings here says nothing about health: run with --as-of ${asOf} to analyze the newest data, ` +
      'or point TELEMETRY_DIR (or BIGQUERY_PROJECT) at telemetry that covers this window.',
  ];
}

function newestOf(table: TableCoverage): string {
  return table.newest ? `, newest ${table.newest.toISOString()}` : ', no rows at all';
}
