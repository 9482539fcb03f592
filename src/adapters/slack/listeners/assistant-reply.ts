import type { WebClient } from '@slack/web-api';
import type { Answer, Answerer, Question } from '../../../assistant/answer.ts';
import type { Proposal } from '../../../domain/proposal.ts';
import type { Logger } from '../../../logging.ts';
import type { ProposalStore } from '../../../ports/store.ts';
import { renderAnswer } from '../views/assistant-answer.ts';

/** What one answered question reports to the metrics. */
export interface AnswerRecord {
  surface: AssistantSurfaceKind;
  answeredBy: string;
  seconds: number;
  tokens: number;
  costUsd: number | null;
}

export type AssistantSurfaceKind = 'assistant' | 'mention' | 'dm' | 'proposal_thread';

export interface AssistantDeps {
  answerer: Answerer;
  store: Pick<ProposalStore, 'get'>;
  hasAgent(): boolean;
  logger: Logger;
  onAnswer?: (record: AnswerRecord) => void;
}

export interface ReplyTarget {
  channel: string;
  threadTs: string;
  /** A "Looking…" message posted as the status; the answer replaces it. */
  placeholderTs?: string;
}

/**
 * Answers one question in a thread: asks the answerer, renders the answer, posts it (or replaces the
 * placeholder), and uploads the tables that did not fit as files in the same thread. The answerer
 * never throws for a hard question; an unexpected failure is said in the thread and logged.
 */
export async function answerInThread(
  client: WebClient,
  deps: AssistantDeps,
  question: Question,
  target: ReplyTarget,
  surface: AssistantSurfaceKind,
): Promise<void> {
  const started = performance.now();
  let answer: Answer;
  try {
    answer = await deps.answerer.answer(question);
  } catch (error) {
    deps.logger.error({ err: error, surface }, 'the assistant failed to answer');
    answer = {
      text: 'Something went wrong while answering; it is logged. The `/improve` commands still work.',
      tables: [],
      citations: [],
      actionsFor: [],
      answeredBy: 'limit',
    };
  }
  const proposals = (await Promise.all(answer.actionsFor.map((id) => deps.store.get(id).catch(() => null)))).filter((p): p is Proposal =>
    Boolean(p),
  );
  const { message, files } = renderAnswer(answer, { proposals, hasAgent: deps.hasAgent(), footer: footer(answer) });
  const post = (text: string, blocks?: typeof message.blocks) =>
    target.placeholderTs
      ? client.chat.update({ channel: target.channel, ts: target.placeholderTs, text, ...(blocks ? { blocks } : {}) })
      : client.chat.postMessage({ channel: target.channel, thread_ts: target.threadTs, text, ...(blocks ? { blocks } : {}) });
  try {
    await post(message.text, message.blocks);
  } catch (error) {
    // A refused message must not leave "Looking…" standing: the plain text still gets through.
    deps.logger.warn({ err: error, surface }, 'Slack refused the answer message; sending it as plain text');
    await post(`${message.text.slice(0, 2800)}\n(The formatted answer could not be shown.)`, []);
  }
  for (const file of files) {
    await client
      .filesUploadV2({
        channel_id: target.channel,
        thread_ts: target.threadTs,
        filename: file.filename,
        title: file.title,
        content: file.content,
      })
      .catch((error: unknown) => deps.logger.warn({ err: error, surface }, 'could not attach the table file (files:write missing?)'));
  }
  deps.onAnswer?.({
    surface,
    answeredBy: answer.answeredBy,
    seconds: (performance.now() - started) / 1000,
    tokens: answer.usage?.totalTokens ?? 0,
    costUsd: answer.usage ? answer.usage.costUsd : 0,
  });
}

function footer(answer: Answer): string {
  if (answer.answeredBy === 'offline')
    return 'Answered without a language model (no ANTHROPIC_API_KEY, or the model could not be reached): the question was matched to a fixed shape. Ask "help" for the list.';
  if (answer.answeredBy === 'limit') return 'No model answer.';
  const usage = answer.usage;
  const cost = usage?.costUsd === null || usage?.costUsd === undefined ? '' : `, $${usage.costUsd.toFixed(4)}`;
  const source = usage?.toolCalls
    ? `from the tools' data (${usage.toolCalls} tool call${usage.toolCalls === 1 ? '' : 's'}, `
    : 'without reading any data (';
  return `Answered by ${answer.answeredBy} ${source}${(usage?.totalTokens ?? 0).toLocaleString('en-US')} tokens${cost}). It can read, never change: buttons are checked as usual.`;
}
