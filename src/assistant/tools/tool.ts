import type { z } from 'zod';
import type { AnswerTable } from '../answer.ts';
import type { Citation } from '../citation.ts';
import type { AssistantSources } from '../sources.ts';

/**
 * What a tool found. `summary` is made by our code from numbers and ids; `data` may carry text from
 * telemetry (error messages, customer quotes, proposal text written from them), so a model sees it
 * only as untrusted data and a surface escapes it.
 */
export interface ToolResult {
  summary: string;
  data: unknown;
  citations: Citation[];
  table?: AnswerTable;
  /** Proposals whose buttons the answer should offer. */
  actionsFor?: string[];
}

/** A read-only question shape with parameters; there is no free-form query. */
export interface AssistantTool<Shape extends z.ZodRawShape = z.ZodRawShape> {
  name: string;
  description: string;
  input: z.ZodObject<Shape>;
  run(input: z.infer<z.ZodObject<Shape>>, sources: AssistantSources): Promise<ToolResult>;
}

export function defineTool<Shape extends z.ZodRawShape>(tool: AssistantTool<Shape>): AssistantTool<Shape> {
  return tool;
}

/** Thrown for input a tool refuses (an unknown proposal, a bad window): the message goes back to the asker. */
export class ToolInputError extends Error {}
