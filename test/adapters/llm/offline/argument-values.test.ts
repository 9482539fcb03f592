import { describe, expect, it } from 'vitest';
import { argumentTexts, literal } from '../../../../src/adapters/llm/offline/argument-values.ts';

describe('the arguments a regression test passes', () => {
  it('builds objects and arrays along the places the message names, leaving out what it does not say', () => {
    const facts = [
      { place: { arg: 1, steps: [{ key: 'items' }, { element: true as const }, { key: 'quantity' }] }, value: 1.5 },
      { place: { arg: 1, steps: [{ key: 'id' }] }, value: 1042 },
      { place: { arg: 1, steps: [{ key: 'note' }] }, value: "it's" },
    ];
    expect(argumentTexts(facts, ['store', 'order'])).toEqual(['undefined', "{ items: [{ quantity: 1.5 }], id: 1042, note: 'it\\'s' }"]);
  });

  it('turns a length into placeholders and a count of values into keys, taken from the list a fix reads them by', () => {
    const columns = { arg: 0, steps: [] };
    const row = { arg: 1, steps: [] };
    const facts = [
      { place: { arg: 0, steps: [{ key: 'length' }] }, value: 3 },
      { place: { arg: 1, steps: [{ valuesOf: true as const }, { key: 'length' }] }, value: 2 },
    ];
    expect(argumentTexts(facts, ['columns', 'row'])).toEqual(["['column1', 'column2', 'column3']", "{ key1: 'value1', key2: 'value2' }"]);
    const hint = { values: { ...row, steps: [{ valuesOf: true as const }] }, keys: columns };
    expect(argumentTexts(facts, ['columns', 'row'], [hint])).toEqual([
      "['column1', 'column2', 'column3']",
      "{ column1: 'value1', column2: 'value2' }",
    ]);
  });

  it('refuses facts that contradict each other', () => {
    const at = (steps: { key: string }[]) => ({ arg: 0, steps });
    expect(
      argumentTexts(
        [
          { place: at([]), value: 3 },
          { place: at([{ key: 'id' }]), value: 1 },
        ],
        ['order'],
      ),
    ).toBeNull();
    expect(
      argumentTexts(
        [
          { place: at([{ key: 'id' }]), value: 1 },
          { place: at([{ key: 'id' }]), value: 2 },
        ],
        ['order'],
      ),
    ).toBeNull();
    expect(
      argumentTexts(
        [
          { place: at([{ key: 'length' }]), value: 2 },
          { place: at([{ key: 'length' }]), value: 3 },
        ],
        ['xs'],
      ),
    ).toBeNull();
  });

  it('refuses lists longer than a test should spell out', () => {
    const length = (value: number) => [{ place: { arg: 0, steps: [{ key: 'length' }] }, value }];
    expect(argumentTexts(length(50), ['columns'])?.[0]).toContain("'column50'");
    expect(argumentTexts(length(51), ['columns'])).toBeNull();
  });

  it('writes strings in printable ASCII, escaping what a message quoted from users could hide', () => {
    expect(literal('ma\u202eria@example.org')).toBe("'ma\\u202eria@example.org'");
    expect(literal('zero\u200bwidth \u00e9\n')).toBe("'zero\\u200bwidth \\u00e9\\n'");
    // The escapes read back as the very string the message held.
    expect(new Function(`return ${literal("a\u2066b\\c'd")}`)()).toBe("a\u2066b\\c'd");
  });
});
