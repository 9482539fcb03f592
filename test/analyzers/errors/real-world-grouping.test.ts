import { describe, expect, it } from 'vitest';
import { ErrorTemplateMiner } from '../../../src/analyzers/errors/template-miner.ts';
import { DATASET_NAMES, loadDataset, templatePattern } from '../../fixtures/logs/loghub.ts';

/**
 * Real log lines from Loghub (test/fixtures/logs/README.md). How accurate the grouping is, is the
 * benchmark's to report (bench/error-grouping-accuracy.ts); here only that the miner copes.
 */
describe('the error template miner on real-world logs', () => {
  it('groups the Hadoop sample into a sane number of groups, every line in one', () => {
    const { messages, templates } = loadDataset('Hadoop');
    const miner = new ErrorTemplateMiner();
    const ids = messages.map((m) => miner.add(m.content).groupId);
    const groups = miner.groups();
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(groups.reduce((sum, g) => sum + g.count, 0)).toBe(messages.length);
    // Neither everything in one bucket nor one bucket per line: within a factor two of the labeled events.
    expect(groups.length).toBeGreaterThanOrEqual(templates.size / 2);
    expect(groups.length).toBeLessThanOrEqual(Math.min(templates.size * 2, messages.length - 1));
  });

  it('has fixtures whose every line matches the template of the event it is labeled with', () => {
    expect(DATASET_NAMES.length).toBeGreaterThanOrEqual(5);
    for (const name of DATASET_NAMES) {
      const { messages, templates } = loadDataset(name);
      expect(messages.length, name).toBeGreaterThan(50);
      const mismatched = messages.filter((m) => !templatePattern(templates.get(m.event) ?? '').test(m.content.trim()));
      expect(mismatched, name).toEqual([]);
      expect(new Set(messages.map((m) => m.event)), name).toEqual(new Set(templates.keys()));
    }
  });
});
