/**
 * How well does an outcome find a topic's or theme's interactions again? After a change, the windows
 * are never clustered: an outcome re-selects them by the distinctive words the proposal carries
 * (src/proposals/outcomes/topic-match.ts: at least two of their stems, or all when fewer). Here the
 * learning analyzer's topics and the feature analyzer's themes on the bundled sample's interactions
 * (20,000 rows, the demo's generator) are the truth, and each rule's precision and recall against
 * their members are printed, weighted by topic size: the rule in use beside "any one stem" and
 * "every stem", measured in the same run.
 * Run: node --import tsx bench/outcome-topic-match.ts
 */
import { detectFeatureRequest } from '../src/analyzers/features/detect-request.ts';
import { clusterRequests } from '../src/analyzers/features/cluster-requests.ts';
import { stableStems } from '../src/analyzers/features/theme-key.ts';
import { createAnnotator } from '../src/analyzers/learning/topic-stats.ts';
import { topicSample } from '../src/analyzers/learning/topic-sample.ts';
import { assignTopics, type CountedConversation } from '../src/analyzers/learning/topics.ts';
import { SAMPLE_END, SAMPLE_SEED } from '../src/demo/planted.ts';
import { writeInteractions } from '../src/demo/sample/interaction-rows.ts';
import type { ColumnValues, ParquetTableWriter } from '../src/demo/sample/parquet-table-writer.ts';
import type { InteractionText } from '../src/ports/warehouse.ts';
import { createTopicMatcher, MIN_SHARED_STEMS } from '../src/proposals/outcomes/topic-match.ts';

const ROWS = 20_000;
const MIN_MEMBERS = 10;

async function sampleInteractions(): Promise<InteractionText[]> {
  const batches: ColumnValues[][] = [];
  // The generator writes column batches to a Parquet writer; collecting them is all this needs.
  const writer = { append: async (columns: readonly ColumnValues[]) => void batches.push([...columns]) } as unknown as ParquetTableWriter;
  const to = SAMPLE_END.getTime();
  await writeInteractions(writer, ROWS, to - 7 * 86_400_000, to, SAMPLE_SEED);
  return batches.flatMap((columns) =>
    columns[0]!.map((timestamp, i) => ({
      customerId: String(columns[1]![i]),
      interactionType: String(columns[2]![i]),
      message: String(columns[3]![i]),
      response: columns[4]![i] == null ? null : String(columns[4]![i]),
      outcome: columns[5]![i] == null ? null : String(columns[5]![i]),
      sentiment: columns[6]![i] == null ? null : Number(columns[6]![i]),
      metadata: {},
      timestamp: new Date(Number(timestamp)),
    })),
  );
}

interface Group {
  label: string[];
  members: Set<number>;
}

const RULES: [name: string, min: (stems: number) => number][] = [
  [`at least ${MIN_SHARED_STEMS} stems (in use)`, (n) => Math.min(MIN_SHARED_STEMS, n)],
  ['any one stem', () => 1],
  ['every stem', (n) => n],
];

function agreement(kind: string, groups: Group[], messages: readonly string[], eligible: (i: number) => boolean): void {
  const sized = groups.filter((g) => g.members.size >= MIN_MEMBERS);
  const total = sized.reduce((s, g) => s + g.members.size, 0);
  console.log(`${kind}: ${sized.length} groups of ${MIN_MEMBERS}+ members, ${total} members`);
  for (const [name, min] of RULES) {
    let precision = 0;
    let recall = 0;
    for (const group of sized) {
      const stems = stableStems(group.label);
      const matches = createTopicMatcher({ stems, minStems: min(stems.length), words: group.label });
      let selected = 0;
      let hit = 0;
      messages.forEach((message, i) => {
        if (!eligible(i) || !matches(message)) return;
        selected++;
        if (group.members.has(i)) hit++;
      });
      precision += (selected ? hit / selected : 0) * group.members.size;
      recall += (hit / group.members.size) * group.members.size;
    }
    console.log(`  ${name.padEnd(28)} precision ${(precision / total).toFixed(3)}   recall ${(recall / total).toFixed(3)}`);
  }
}

const rows = await sampleInteractions();
const messages = rows.map((r) => r.message);
const annotated = rows.map(createAnnotator());
// Learning clusters distinct conversations (question and answer), each with its row count and how
// many rows of the sample it holds; a topic's rows are the rows of its conversations.
const sampled = new Set(topicSample(annotated, 2000));
const conversationOf = new Map<string, number>();
const conversations: CountedConversation[] = [];
const rowConversation = rows.map((row, i) => {
  const key = JSON.stringify([row.message, row.response]);
  let index = conversationOf.get(key);
  if (index === undefined) {
    index = conversations.length;
    conversationOf.set(key, index);
    conversations.push({ message: row.message, response: row.response, count: 0, sampled: 0, firstSampled: 0 });
  }
  const conversation = conversations[index]!;
  conversation.count += 1;
  if (sampled.has(i)) {
    if (conversation.sampled === 0) conversation.firstSampled = i;
    conversation.sampled += 1;
  }
  return index;
});
const topics = assignTopics(conversations);
agreement(
  'learning topics',
  topics.map((t) => {
    const members = new Set(t.members);
    return { label: t.label, members: new Set(rowConversation.flatMap((c, i) => (members.has(c) ? [i] : []))) };
  }),
  messages,
  () => true,
);

const requestIndex = rows.map((_, i) => i).filter((i) => detectFeatureRequest(messages[i]!).isRequest);
const themes = clusterRequests(requestIndex.map((i) => messages[i]!));
const isRequest = new Set(requestIndex);
agreement(
  'feature themes (requests only)',
  themes.map((t) => ({ label: t.label, members: new Set(t.members.map((m) => requestIndex[m]!)) })),
  messages,
  (i) => isRequest.has(i),
);
