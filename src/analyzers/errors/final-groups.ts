import { ErrorTemplateMiner, WILDCARD, type ErrorTemplateGroup, type TemplateMinerOptions } from './template-miner.ts';

/**
 * Each message's final group. The miner names a group after its template, which can still
 * generalize after a message joined, so the id `add` returned may be stale by the end: it is looked
 * up among the groups' `previousIds`. Should two groups have passed through the same template, the
 * one whose final template still fits the message's template at the time is taken.
 */
export class LineGrouping {
  private readonly miner: ErrorTemplateMiner;
  private readonly joined: { id: string; template: string }[] = [];
  // One string per distinct template, not one per message.
  private readonly templates = new Map<string, string>();

  constructor(options: TemplateMinerOptions = {}) {
    this.miner = new ErrorTemplateMiner(options);
  }

  add(message: string): void {
    const { groupId, template } = this.miner.add(message);
    let shared = this.templates.get(template);
    if (shared === undefined) this.templates.set(template, (shared = template));
    this.joined.push({ id: groupId, template: shared });
  }

  /** The groups (largest first), each message's group in the order added, and how many had to be guessed. */
  finish(): { groups: ErrorTemplateGroup[]; groupOfEach: ErrorTemplateGroup[]; ambiguous: number } {
    const groups = this.miner.groups();
    const byId = new Map<string, ErrorTemplateGroup[]>();
    for (const group of groups) {
      for (const id of new Set([group.id, ...group.previousIds])) byId.set(id, [...(byId.get(id) ?? []), group]);
    }
    let ambiguous = 0;
    const groupOfEach = this.joined.map(({ id, template }) => {
      const candidates = byId.get(id) ?? [];
      if (candidates.length === 1) return candidates[0]!;
      const fitting = candidates.filter((group) => generalizes(group.template, template));
      if (fitting.length !== 1) ambiguous += 1;
      const chosen = fitting[0] ?? candidates[0];
      if (!chosen) throw new Error(`the miner reported group ${id}, which none of its final groups lists`);
      return chosen;
    });
    return { groups, groupOfEach, ambiguous };
  }
}

function generalizes(general: string, specific: string): boolean {
  const [g, s] = [general.split(' '), specific.split(' ')];
  return g.length === s.length && g.every((token, i) => token === WILDCARD || token === s[i]);
}
