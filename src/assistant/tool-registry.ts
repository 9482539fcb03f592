import { endpointLatencyTool } from './tools/endpoint-latency.ts';
import { errorGroupsTool } from './tools/error-groups.ts';
import { featureThemesTool } from './tools/feature-themes.ts';
import { interactionTopicsTool } from './tools/interaction-topics.ts';
import { explainFindingTool, listProposalsTool, offerActionsTool, showPatchTool, showProposalTool } from './tools/proposal-tools.ts';
import { ToolInputError, type AssistantTool, type ToolResult } from './tools/tool.ts';
import { WindowError } from './tools/window.ts';
import type { AssistantSources } from './sources.ts';

/** Every tool the assistant has. All read; none writes. A name not listed here does not run. */
export const ASSISTANT_TOOLS: readonly AssistantTool[] = [
  endpointLatencyTool,
  errorGroupsTool,
  interactionTopicsTool,
  featureThemesTool,
  listProposalsTool,
  showProposalTool,
  showPatchTool,
  explainFindingTool,
  offerActionsTool,
] as unknown as readonly AssistantTool[]; // each tool's input type is its own; the registry only passes unknown input through its schema

export type ToolOutcome = { ok: true; tool: string; result: ToolResult } | { ok: false; tool: string; error: string };

/** Runs a tool by name with untrusted input: unknown names and invalid input are refused, never guessed. */
export async function runTool(name: string, input: unknown, sources: AssistantSources): Promise<ToolOutcome> {
  const tool = ASSISTANT_TOOLS.find((t) => t.name === name);
  if (!tool)
    return {
      ok: false,
      tool: name,
      error: `there is no tool named "${name.slice(0, 60)}"; the tools are ${ASSISTANT_TOOLS.map((t) => t.name).join(', ')}`,
    };
  const parsed = tool.input.safeParse(input ?? {});
  if (!parsed.success)
    return {
      ok: false,
      tool: name,
      error: `invalid input: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ')}`,
    };
  try {
    return { ok: true, tool: name, result: await tool.run(parsed.data, sources) };
  } catch (error) {
    if (error instanceof ToolInputError || error instanceof WindowError) return { ok: false, tool: name, error: error.message };
    throw error;
  }
}
