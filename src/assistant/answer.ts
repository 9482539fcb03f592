import type { Citation } from './citation.ts';

/** A table the answer shows; Slack gets it as text when it is small, else as a file or a link. */
export interface AnswerTable {
  title: string;
  columns: string[];
  rows: (string | number)[][];
}

/** What one answer cost, recorded with the metrics; offline answers cost nothing. */
export interface AnswerUsage {
  model: string;
  requests: number;
  inputTokens: number;
  outputTokens: number;
  cacheCreationInputTokens: number;
  cacheReadInputTokens: number;
  totalTokens: number;
  /** null when the model has no price in the table. */
  costUsd: number | null;
  toolCalls: number;
}

export interface Answer {
  /**
   * Plain text with light markdown (*bold*, `code`, bullets). It may hold model output or telemetry
   * text, so a surface escapes it before showing it.
   */
  text: string;
  tables: AnswerTable[];
  citations: Citation[];
  /** Proposals whose own buttons the answer offers (a request for an action); the buttons go through the usual authorization. */
  actionsFor: string[];
  /** 'offline', a model id, or 'limit' (budget spent, model unreachable, not allowed). */
  answeredBy: string;
  usage?: AnswerUsage;
}

/** Who asks, where, and what the conversation is about. */
export interface Question {
  text: string;
  userId: string;
  teamId: string;
  /** Set when the question was asked in a proposal's thread: it is about that proposal. */
  proposalId?: string;
  /** Earlier turns of the same thread, oldest first, for follow-ups; bounded by the surface. */
  history?: { role: 'user' | 'assistant'; text: string }[];
}

export interface Answerer {
  /** 'offline' or the model id: what the start line and the answer footer name. */
  readonly name: string;
  /** Never throws for a question it cannot answer: it says what it can answer instead. */
  answer(question: Question): Promise<Answer>;
}

export function textAnswer(text: string, answeredBy: string, extra: Partial<Answer> = {}): Answer {
  return { text, tables: [], citations: [], actionsFor: [], answeredBy, ...extra };
}
