import { describe, expect, it } from 'vitest';
import { coverageNotes } from '../../src/cycle/coverage-notes.ts';

const window = { from: new Date('2026-12-02T00:00:00Z'), to: new Date('2026-12-03T00:00:00Z') };

describe('the notes on the telemetry in a window', () => {
  it('say nothing when every table has rows in the window, or when the warehouse cannot count', () => {
    expect(coverageNotes([{ table: 'performance.api_metrics', rowsInWindow: 5, newest: window.to }], window)).toEqual([]);
    expect(coverageNotes([], window)).toEqual([]);
  });

  it('name a table that is empty in a window the others fill', () => {
    const notes = coverageNotes(
      [
        { table: 'performance.api_metrics', rowsInWindow: 5, newest: window.to },
        { table: 'logs.error_logs', rowsInWindow: 0, newest: new Date('2026-11-01T08:00:00Z') },
      ],
      window,
    );
    expect(notes).toEqual([
      'logs.error_logs has no rows in the window 2026-12-02T00:00:00.000Z → 2026-12-03T00:00:00.000Z, newest 2026-11-01T08:00:00.000Z; analyzers reading it found nothing',
    ]);
  });

  it('suggest the --as-of after the newest row when the window holds nothing', () => {
    const [note] = coverageNotes(
      [
        { table: 'performance.api_metrics', rowsInWindow: 0, newest: new Date('2026-01-30T12:00:00Z') },
        { table: 'logs.error_logs', rowsInWindow: 0, newest: null },
      ],
      window,
    );
    expect(note).toContain('0 rows in performance.api_metrics, logs.error_logs; the newest row is 2026-01-30T12:00:00.000Z');
    expect(note).toContain('logs.error_logs, no rows at all');
    expect(note).toContain('--as-of 2026-01-31T00:00:00.000Z');
  });

  it('say the telemetry is empty when no table has a row at all', () => {
    expect(coverageNotes([{ table: 'logs.error_logs', rowsInWindow: 0, newest: null }], window)).toEqual([
      'No telemetry at all: logs.error_logs hold 0 rows. Point TELEMETRY_DIR (or BIGQUERY_PROJECT) at telemetry with rows.',
    ]);
  });
});
