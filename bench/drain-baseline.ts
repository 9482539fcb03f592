/**
 * The Drain baseline for the grouping benchmark: the published algorithm (He et al., ICWS 2017) as
 * the LogPAI toolkit implements it (logparser, Drain.py), with depth 4 (two token levels under the
 * length level), similarity threshold 0.5, at most 100 children per node, and the per-system
 * preprocessing regexes of that toolkit's Drain benchmark. Those regexes are tuned per system and
 * serve the baseline only; the miner under test uses one global setting.
 */

// From logparser's benchmark/Drain_benchmark.py; each match is replaced by <*> before parsing.
export const DRAIN_REGEXES: Record<string, RegExp[]> = {
  HDFS: [/blk_-?\d+/g, /(\d+\.){3}\d+(:\d+)?/g],
  Hadoop: [/(\d+\.){3}\d+/g],
  Spark: [/(\d+\.){3}\d+/g, /\b[KGTM]?B\b/g, /([\w-]+\.){2,}[\w-]+/g],
  Zookeeper: [/(\/|)(\d+\.){3}\d+(:\d+)?/g],
  BGL: [/core\.\d+/g],
  HPC: [/=\d+/g],
  Thunderbird: [/(\d+\.){3}\d+/g],
  Windows: [/0x.*?\s/g],
  Linux: [/(\d+\.){3}\d+/g, /\d{2}:\d{2}:\d{2}/g],
  Android: [/(\/[\w-]+)+/g, /([\w-]+\.){2,}[\w-]+/g, /\b(-?\+?\d+)\b|\b0[Xx][a-fA-F\d]+\b|\b[a-fA-F\d]{4,}\b/g],
  HealthApp: [],
  Apache: [/(\d+\.){3}\d+/g],
  Proxifier: [/<\d+\ssec/g, /([\w-]+\.)+[\w-]+(:\d+)?/g, /\d{2}:\d{2}(:\d{2})*/g, /[KGTM]B/g],
  OpenSSH: [/(\d+\.){3}\d+/g, /([\w-]+\.){2,}[\w-]+/g],
  OpenStack: [/((\d+\.){3}\d+,?)+/g, /\/.+?\s/g, /\d+/g],
  Mac: [/([\w-]+\.){2,}[\w-]+/g],
};

const WILD = '<*>';

interface Cluster {
  template: string[];
  id: number;
}

interface Node {
  children: Map<string, Node>;
  clusters: Cluster[];
}

export interface DrainOptions {
  depth?: number;
  similarity?: number;
  maxChildren?: number;
  regexes?: RegExp[];
}

/** Each line's cluster id, in input order. */
export function drainGroups(lines: readonly string[], options: DrainOptions = {}): number[] {
  const levels = (options.depth ?? 4) - 2;
  const st = options.similarity ?? 0.5;
  const maxChildren = options.maxChildren ?? 100;
  const regexes = options.regexes ?? [];
  const root = new Map<number, Node>();
  let nextId = 0;
  const hasDigit = (t: string) => /\d/.test(t);

  return lines.map((line) => {
    let content = line;
    for (const regex of regexes) content = content.replace(regex, WILD);
    const tokens = content
      .trim()
      .split(/\s+/)
      .filter((t) => t !== '');
    let node = root.get(tokens.length);
    if (!node) root.set(tokens.length, (node = { children: new Map(), clusters: [] }));
    // Descend (creating nodes as Drain's addSeqToPrefixTree does) along at most `levels` tokens.
    for (const token of tokens.slice(0, levels)) {
      let key = hasDigit(token) ? WILD : token;
      if (!node.children.has(key)) {
        if (key !== WILD && node.children.has(WILD)) key = node.children.size < maxChildren ? key : WILD;
        else if (key !== WILD && node.children.size + 1 >= maxChildren) key = WILD;
      }
      let next: Node | undefined = node.children.get(key);
      if (!next) node.children.set(key, (next = { children: new Map(), clusters: [] }));
      node = next;
    }
    let best: Cluster | undefined;
    let bestSim = -1;
    let bestParams = -1;
    for (const cluster of node.clusters) {
      let same = 0;
      let params = 0;
      cluster.template.forEach((t, i) => {
        if (t === WILD) params += 1;
        else if (t === tokens[i]) same += 1;
      });
      const sim = tokens.length === 0 ? 1 : same / tokens.length;
      if (sim > bestSim || (sim === bestSim && params > bestParams)) [best, bestSim, bestParams] = [cluster, sim, params];
    }
    if (best && bestSim >= st) {
      best.template = best.template.map((t, i) => (t === tokens[i] ? t : WILD));
      return best.id;
    }
    const created = { template: tokens, id: nextId++ };
    node.clusters.push(created);
    return created.id;
  });
}
