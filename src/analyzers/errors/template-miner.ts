import { shortSha1 } from '../short-hash.ts';
import { namesDistinctEvents } from './distinct-words.ts';
import { isPlaceholder, maskForGrouping } from './mask.ts';

/**
 * Drain (He et al., "Drain: An Online Log Parsing Approach with Fixed Depth Tree", ICWS 2017) over
 * masked messages. A message goes down a tree keyed by its token count, then by its first `depth`
 * tokens, to a leaf holding a few groups; it joins the most similar group there if the share of
 * positions it has in common with the group's template reaches the threshold, and the template turns
 * every differing position into `<*>`. Each message is placed in O(depth + groups in its leaf), and
 * the same messages in the same order always give the same groups.
 *
 * Group ids are the short SHA-1 of the template, so the same error gets the same id in every run
 * and process, which is what a finding's fingerprint needs. The price: a streaming template can
 * still generalize after `add` returned, and then its id changes. `add` reports the id of the
 * template as it stands after that message; `groups()` gives each group's final id together with
 * the ids it had before (`previousIds`), so a caller that stored per-message ids can remap them.
 * Two groups that end with the same template share an id and are reported as one group.
 *
 * Two departures from Drain. A message never joins a group whose template differs from it by a word
 * that names a different event (distinct-words.ts: "VM Started" is not "VM Paused"). And when a
 * template generalizes, it absorbs the groups of its leaf that it now covers: a word that looked
 * like part of the event (a capitalized user name) but then varied is a variable after all.
 */

export const WILDCARD = '<*>';

export interface TemplateMinerOptions {
  /** Share of non-wildcard positions that must match for a message to join a group (Drain uses 0.4–0.5). */
  similarityThreshold?: number;
  /** Leading tokens used as tree levels below the token-count level. */
  depth?: number;
  /** Children per tree node before further distinct tokens share the `<*>` child. */
  maxChildren?: number;
  /** Characters kept from each message: a payload dump must not cost a megabyte of regex work. */
  maxMessageLength?: number;
  mask?: (message: string) => string;
}

export interface MinedMessage {
  groupId: string;
  template: string;
  isNewGroup: boolean;
  /** The group's template generalized with this message, so its id changed. */
  templateChanged: boolean;
}

export interface ErrorTemplateGroup {
  id: string;
  template: string;
  count: number;
  /** Ids this group reported from `add` before its template settled. */
  previousIds: string[];
  /** The first message that created the group, as received (truncated to maxMessageLength). */
  example: string;
}

interface Group {
  tokens: string[];
  /** `tokens` joined, kept so that a message joining an unchanged group costs no string building. */
  template: string;
  /** Merged into another group of its leaf, which now counts its messages and lists its ids. */
  absorbed?: boolean;
  id: string;
  count: number;
  previousIds: string[];
  example: string;
}

interface TreeNode {
  children: Map<string, TreeNode>;
  groups: Group[];
}

const newNode = (): TreeNode => ({ children: new Map(), groups: [] });

export class ErrorTemplateMiner {
  private readonly threshold: number;
  private readonly depth: number;
  private readonly maxChildren: number;
  private readonly maxLength: number;
  private readonly mask: (message: string) => string;
  private readonly byLength = new Map<number, TreeNode>();
  private readonly allGroups: Group[] = [];

  constructor(options: TemplateMinerOptions = {}) {
    this.threshold = options.similarityThreshold ?? 0.5;
    this.depth = options.depth ?? 2;
    this.maxChildren = options.maxChildren ?? 100;
    this.maxLength = options.maxMessageLength ?? 2000;
    this.mask = options.mask ?? maskForGrouping;
  }

  add(message: string): MinedMessage {
    const example = message.slice(0, this.maxLength);
    const masked = this.mask(example).trim();
    const tokens = masked === '' ? [] : masked.split(/\s+/);
    const leaf = this.leafFor(tokens);
    const group = this.mostSimilar(leaf.groups, tokens);
    if (!group) {
      const template = tokens.join(' ');
      const created: Group = { tokens, template, id: shortSha1(template), count: 1, previousIds: [], example };
      leaf.groups.push(created);
      this.allGroups.push(created);
      return { groupId: created.id, template, isNewGroup: true, templateChanged: false };
    }
    group.count += 1;
    let changed = false;
    for (let i = 0; i < tokens.length; i++) {
      if (group.tokens[i] !== tokens[i] && group.tokens[i] !== WILDCARD) {
        group.tokens[i] = WILDCARD;
        changed = true;
      }
    }
    if (changed) {
      group.template = group.tokens.join(' ');
      group.previousIds.push(group.id);
      group.id = shortSha1(group.template);
      this.absorbCovered(leaf, group);
    }
    return { groupId: group.id, template: group.template, isNewGroup: false, templateChanged: changed };
  }

  /** Groups by final template, largest first (ties by template, so the order is stable). */
  groups(): ErrorTemplateGroup[] {
    const byId = new Map<string, ErrorTemplateGroup>();
    for (const group of this.allGroups) {
      if (group.absorbed) continue;
      const seen = byId.get(group.id);
      if (seen) {
        seen.count += group.count;
        seen.previousIds.push(...group.previousIds);
      } else {
        byId.set(group.id, {
          id: group.id,
          template: group.template,
          count: group.count,
          previousIds: [...group.previousIds],
          example: group.example,
        });
      }
    }
    return [...byId.values()].sort((a, b) => b.count - a.count || (a.template < b.template ? -1 : a.template > b.template ? 1 : 0));
  }

  /** Merge into `general` the other groups of the leaf whose every token its template matches. */
  private absorbCovered(leaf: TreeNode, general: Group): void {
    const kept: Group[] = [];
    for (const other of leaf.groups) {
      if (other !== general && general.tokens.every((token, i) => token === WILDCARD || token === other.tokens[i])) {
        general.count += other.count;
        general.previousIds.push(other.id, ...other.previousIds);
        other.absorbed = true;
      } else {
        kept.push(other);
      }
    }
    if (kept.length !== leaf.groups.length) leaf.groups = kept;
  }

  private leafFor(tokens: string[]): TreeNode {
    let node = this.byLength.get(tokens.length);
    if (!node) this.byLength.set(tokens.length, (node = newNode()));
    const levels = Math.min(this.depth, tokens.length);
    for (let i = 0; i < levels; i++) node = this.child(node, tokens[i]!);
    return node;
  }

  private child(node: TreeNode, token: string): TreeNode {
    // Variables share the wildcard branch: placeholders (an id masked <HEX> in one line can be all
    // digits, <NUM>, in the next) and unmasked tokens with digits (user123, v2-beta7). The similarity
    // step, not the tree, decides whether they belong together.
    // Quoted identifiers too: the mask leaves them as written, and 'qty' must meet 'price' in one leaf.
    // Dotted names of three or more parts (com.apple.CacheDelete.daily:, hosts, classes) name the
    // emitter more often than the event, so they do not pick the branch either; nor does a key with
    // its value attached (overlap:true, mode=fast), whose value the mask may have left as a word.
    const key =
      isPlaceholder(token) ||
      /\d/.test(token) ||
      /^[("'`]*["'`]/.test(token) ||
      /^[\w-]+(?:\.[\w-]+){2,}/.test(token) ||
      /[=:][^\s=:]/.test(token)
        ? WILDCARD
        : token;
    let next = node.children.get(key);
    if (next) return next;
    const literalChildren = node.children.size - (node.children.has(WILDCARD) ? 1 : 0);
    const slot = key !== WILDCARD && literalChildren >= this.maxChildren ? WILDCARD : key;
    next = node.children.get(slot);
    if (!next) node.children.set(slot, (next = newNode()));
    return next;
  }

  /** Drain's similarity: matching positions over length, wildcards not counted; ties go to the more general template, then the older group. */
  private mostSimilar(groups: Group[], tokens: string[]): Group | undefined {
    let best: Group | undefined;
    let bestSimilarity = -1;
    let bestWildcards = -1;
    for (const group of groups) {
      let same = 0;
      let wildcards = 0;
      let distinctEvent = false;
      for (let i = 0; i < tokens.length && !distinctEvent; i++) {
        const token = group.tokens[i]!;
        if (token === WILDCARD) wildcards += 1;
        else if (token === tokens[i]) same += 1;
        else distinctEvent = namesDistinctEvents(token, tokens[i]!);
      }
      if (distinctEvent) continue;
      const similarity = tokens.length === 0 ? 1 : same / tokens.length;
      if (similarity > bestSimilarity || (similarity === bestSimilarity && wildcards > bestWildcards)) {
        best = group;
        bestSimilarity = similarity;
        bestWildcards = wildcards;
      }
    }
    return best && bestSimilarity >= this.threshold ? best : undefined;
  }
}
