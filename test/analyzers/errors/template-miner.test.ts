import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskedTokens } from '../../../src/analyzers/errors/mask.ts';
import { ErrorTemplateMiner } from '../../../src/analyzers/errors/template-miner.ts';
import { shortSha1 } from '../../../src/analyzers/short-hash.ts';
import { randomData } from '../random-data.ts';

/** Five error templates with planted counts, their variables drawn at random, the lines shuffled. */
function plantedLog(seed: number) {
  const r = randomData(seed);
  const planted = [
    { count: 170, template: 'User <EMAIL> not found in tenant <UUID>', make: () => `User ${r.email()} not found in tenant ${r.uuid()}` },
    {
      count: 130,
      template: 'Timeout after <DUR> waiting for a connection to <IP>',
      make: () => `Timeout after ${r.int(100, 30000)}ms waiting for a connection to ${r.ip()}:${r.int(1024, 65535)}`,
    },
    {
      count: 90,
      template: 'ENOENT: no such file or directory, open <PATH>',
      make: () => `ENOENT: no such file or directory, open '${r.path()}'`,
    },
    {
      count: 70,
      template: 'Payment <HEX> declined for order <NUM>: card_declined amount=<NUM>',
      make: () => `Payment ${r.hex(16)} declined for order ${r.int(1, 999999)}: card_declined amount=${r.int(1, 9999)}.${r.int(10, 99)}`,
    },
    {
      count: 40,
      template: 'Job failed after <NUM> retries on queue <*> at <TS>',
      make: () =>
        `Job failed after ${r.int(1, 9)} retries on queue ${r.pick(['emails', 'invoices', 'reports', 'exports'])} at ${r.isoTime()}`,
    },
  ];
  const lines = planted.flatMap((p) => Array.from({ length: p.count }, () => ({ template: p.template, line: p.make() })));
  for (let i = lines.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [lines[i], lines[j]] = [lines[j]!, lines[i]!];
  }
  return { planted, lines };
}

describe('the error template miner', () => {
  it('finds exactly the five planted templates in 500 lines, with the planted counts', () => {
    const { planted, lines } = plantedLog(1);
    const miner = new ErrorTemplateMiner();
    for (const { line } of lines) miner.add(line);
    const groups = miner.groups();
    expect(groups.map((g) => [g.template, g.count])).toEqual(planted.map((p) => [p.template, p.count]));
    expect(groups.map((g) => g.id)).toEqual(planted.map((p) => shortSha1(p.template)));
  });

  it('puts every line in the group of its own template', () => {
    const { lines } = plantedLog(2);
    const miner = new ErrorTemplateMiner();
    const assigned = lines.map(({ line }) => miner.add(line).groupId);
    const finalId = new Map(miner.groups().flatMap((g) => [[g.id, g.id], ...g.previousIds.map((old) => [old, g.id] as const)]));
    lines.forEach(({ template }, i) => expect(finalId.get(assigned[i]!)).toBe(shortSha1(template)));
  });

  it('groups one event whose first token is the dotted name of the job that printed it', () => {
    const miner = new ErrorTemplateMiner();
    // Real lines from the Loghub Mac sample (test/fixtures/logs), all labeled as one event.
    for (const job of ['com.apple.icloud.fmfd.heartbeat', 'com.apple.Safari.SafeBrowsing.Update', 'com.apple.CacheDelete.daily']) {
      miner.add(
        `${job}: scheduler_evaluate_activity told me to run this job; however, but the start time isn't for 2450 seconds.  Ignoring.`,
      );
    }
    expect(miner.groups()).toHaveLength(1);
    expect(miner.groups()[0]!.template).toBe(
      "<*> scheduler_evaluate_activity told me to run this job; however, but the start time isn't for <DUR>.  Ignoring.".replace('  ', ' '),
    );
  });

  it('keeps a quoted name in the template while it does not vary', () => {
    const miner = new ErrorTemplateMiner();
    for (let i = 0; i < 5; i++) miner.add("TypeError: Cannot read properties of undefined (reading 'price')");
    expect(miner.groups()[0]!.template).toBe("TypeError: Cannot read properties of undefined (reading 'price')");
  });

  it('keeps an invariant quoted name in the template and masks the value that varies beside it', () => {
    const miner = new ErrorTemplateMiner();
    for (const order of [12, 97, 4051]) miner.add(`TypeError: Cannot read properties of undefined (reading 'price') for order ${order}`);
    expect(miner.groups()).toMatchObject([
      { template: "TypeError: Cannot read properties of undefined (reading 'price') for order <NUM>", count: 3 },
    ]);
  });

  it('turns a quoted name into a wildcard once it varies within the group', () => {
    const miner = new ErrorTemplateMiner();
    for (const field of ['price', 'qty']) miner.add(`TypeError: Cannot read properties of undefined (reading '${field}')`);
    expect(miner.groups()).toMatchObject([{ template: 'TypeError: Cannot read properties of undefined (reading <*>', count: 2 }]);
  });

  it('keeps events apart that differ only in a capitalized word', () => {
    const miner = new ErrorTemplateMiner();
    for (const state of ['Started', 'Paused', 'Started', 'Resumed'])
      miner.add(`[instance: 7f3e2a9b-1c2d-4e5f-8a9b-0c1d2e3f4a5b] VM ${state} (Lifecycle Event)`);
    expect(miner.groups().map((g) => [g.template, g.count])).toEqual([
      ['[instance: <UUID>] VM Started (Lifecycle Event)', 2],
      ['[instance: <UUID>] VM Paused (Lifecycle Event)', 1],
      ['[instance: <UUID>] VM Resumed (Lifecycle Event)', 1],
    ]);
  });

  it('folds a capitalized value back into its group once the slot turns out to vary', () => {
    const miner = new ErrorTemplateMiner();
    const first = miner.add('Invalid user Admin from 10.0.0.1');
    const second = miner.add('Invalid user Guest from 10.0.0.2');
    miner.add('Invalid user bob from 10.0.0.3');
    const groups = miner.groups();
    expect(groups).toMatchObject([{ template: 'Invalid user <*> from <IP>', count: 3 }]);
    expect(groups[0]!.previousIds).toEqual(expect.arrayContaining([first.groupId, second.groupId]));
  });

  it('keeps distinct one-off errors that share no template in separate groups', () => {
    const oneOffs = [
      "Cannot read properties of undefined (reading 'id')",
      'connect ECONNREFUSED 127.0.0.1:5432',
      'Maximum call stack size exceeded',
      'Unexpected token } in JSON at position 17',
      'Request failed with status code 502',
      'JavaScript heap out of memory',
      'Invalid signature on webhook from Stripe',
      'Deadlock detected while updating orders',
    ];
    const miner = new ErrorTemplateMiner();
    for (const message of oneOffs) expect(miner.add(message).isNewGroup).toBe(true);
    expect(miner.groups()).toHaveLength(oneOffs.length);
    expect(miner.groups().every((g) => g.count === 1 && !g.template.includes('<*>'))).toBe(true);
  });

  it('gives the same groups, ids and templates for the same lines in the same order', () => {
    const { lines } = plantedLog(3);
    const run = () => {
      const miner = new ErrorTemplateMiner();
      const ids = lines.map(({ line }) => miner.add(line).groupId);
      return { ids, groups: miner.groups() };
    };
    expect(run()).toEqual(run());
  });

  it('reports the id change when a template generalizes, and remembers the old id', () => {
    const miner = new ErrorTemplateMiner();
    const first = miner.add('Job failed on queue emails');
    const second = miner.add('Job failed on queue invoices');
    expect(first).toMatchObject({ template: 'Job failed on queue emails', isNewGroup: true });
    expect(second).toMatchObject({ template: 'Job failed on queue <*>', isNewGroup: false, templateChanged: true });
    expect(miner.groups()).toEqual([
      {
        id: second.groupId,
        template: 'Job failed on queue <*>',
        count: 2,
        previousIds: [first.groupId],
        example: 'Job failed on queue emails',
      },
    ]);
  });

  it('sends unmasked tokens with digits down the wildcard branch, so they cannot split a template', () => {
    const miner = new ErrorTemplateMiner();
    for (const worker of ['w1', 'w2', 'w3']) miner.add(`${worker} lost its lease`);
    expect(miner.groups()).toMatchObject([{ template: '<*> lost its lease', count: 3 }]);
  });

  it('sends a key with its value attached down the wildcard branch, so a word value cannot split a template', () => {
    const miner = new ErrorTemplateMiner();
    // Real lines from the Loghub Android sample (test/fixtures/logs), all labeled as one event.
    for (const overlap of ['false', 'true', 'true']) miner.add(`updateDimmedActivatedHideSensitive overlap:${overlap}`);
    expect(miner.groups()).toMatchObject([{ template: 'updateDimmedActivatedHideSensitive <*>', count: 3 }]);
  });

  it('still groups lines whose first tokens overflow the tree fan-out', () => {
    const miner = new ErrorTemplateMiner({ maxChildren: 2 });
    for (const name of ['alpha', 'beta', 'gamma', 'delta', 'epsilon']) miner.add(`cache ${name} evicted early`);
    expect(miner.groups().map((g) => g.template)).toEqual([
      'cache <*> evicted early',
      'cache alpha evicted early',
      'cache beta evicted early',
    ]);
  });

  it('never puts two messages whose masked token counts differ in one group', () => {
    const word = fc.constantFrom(
      'user',
      'not',
      'found',
      'timeout',
      '42',
      'bo@corp.io',
      "'quoted value'",
      '/tmp/x.log',
      'a3f9c2e1b7',
      'on',
      'queue',
    );
    fc.assert(
      fc.property(
        fc.array(
          fc.array(word, { minLength: 1, maxLength: 8 }).map((w) => w.join(' ')),
          { minLength: 1, maxLength: 60 },
        ),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (messages, threshold) => {
          const miner = new ErrorTemplateMiner({ similarityThreshold: threshold });
          const lengthsByGroup = new Map<string, Set<number>>();
          messages.forEach((message) => {
            const { groupId } = miner.add(message);
            const lengths = lengthsByGroup.get(groupId) ?? new Set();
            lengthsByGroup.set(groupId, lengths.add(maskedTokens(message).length));
          });
          for (const lengths of lengthsByGroup.values()) expect(lengths.size).toBe(1);
          for (const group of miner.groups())
            expect(group.template.split(' ').filter(Boolean).length).toBe(maskedTokens(group.example).length);
        },
      ),
      { numRuns: 500 },
    );
  });
});
