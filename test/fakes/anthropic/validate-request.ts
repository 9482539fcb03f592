/**
 * The checks the real Messages API makes before it runs a model, as far as our requests touch them,
 * with messages in the API's words. A request the fake accepts should be one the API accepts.
 */

/**
 * Models that answer a forced tool_choice with a 400 ("Forced tool use returns an error":
 * platform.claude.com/docs, What's new in Claude Sonnet 5.5 / Opus 5.5).
 */
export const MODELS_REJECTING_FORCED_TOOL_CHOICE = new Set(['claude-sonnet-5-5', 'claude-opus-5-5', 'claude-fable-5-1']);

const TOOL_NAME = /^[a-zA-Z0-9_-]{1,128}$/;

/** null when the body is a valid Messages request; otherwise the API's error message. */
export function validateMessagesRequest(body: any, apiVersion: string): string | null {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return 'The request body must be a JSON object.';
  // API version 2026-10-21 removed the sampling parameters: sending one, even at its default, is a 400.
  if (apiVersion >= '2026-10-21') {
    for (const removed of ['temperature', 'top_p', 'top_k']) {
      if (removed in body) return `${removed}: Extra inputs are not permitted (removed in API version 2026-10-21)`;
    }
  }
  if (typeof body.model !== 'string' || !body.model) return 'model: Field required';
  if (!Number.isInteger(body.max_tokens) || body.max_tokens < 1) return 'max_tokens: Field required (an integer ≥ 1)';
  if (!Array.isArray(body.messages) || body.messages.length === 0) return 'messages: Field required (at least one message)';
  return checkSystem(body.system) ?? checkTools(body) ?? checkMessages(body.messages);
}

function checkSystem(system: unknown): string | null {
  if (system === undefined || typeof system === 'string') return null;
  if (!Array.isArray(system)) return 'system: Input should be a valid string or list of text blocks';
  for (const [i, block] of system.entries()) {
    if (block?.type !== 'text' || typeof block.text !== 'string') return `system.${i}: Input should be a text block`;
    if (block.cache_control !== undefined && block.cache_control?.type !== 'ephemeral') {
      return `system.${i}.cache_control.type: Input should be 'ephemeral'`;
    }
  }
  return null;
}

function checkTools(body: any): string | null {
  const tools = body.tools ?? [];
  if (!Array.isArray(tools)) return 'tools: Input should be a valid list';
  for (const [i, tool] of tools.entries()) {
    if (typeof tool?.name !== 'string' || !TOOL_NAME.test(tool.name))
      return `tools.${i}.name: String should match pattern '^[a-zA-Z0-9_-]{1,128}$'`;
    if (tool.input_schema?.type !== 'object') return `tools.${i}.input_schema.type: Input should be 'object'`;
  }
  const choice = body.tool_choice;
  if (choice === undefined) return null;
  if (!['auto', 'any', 'tool', 'none'].includes(choice?.type)) return "tool_choice.type: Input should be 'auto', 'any', 'tool' or 'none'";
  if (choice.type === 'tool' && !tools.some((tool: any) => tool.name === choice.name))
    return `tool_choice.name: no tool named ${choice.name}`;
  if ((choice.type === 'tool' || choice.type === 'any') && MODELS_REJECTING_FORCED_TOOL_CHOICE.has(body.model)) {
    return `tool_choice: forced tool use is not supported with ${body.model}; use tool_choice auto`;
  }
  return null;
}

function checkMessages(messages: any[]): string | null {
  if (messages[0]?.role !== 'user') return 'messages.0.role: the first message must use the "user" role';
  for (const [i, message] of messages.entries()) {
    if (message?.role !== 'user' && message?.role !== 'assistant') return `messages.${i}.role: Input should be 'user' or 'assistant'`;
    const content = message.content;
    if (typeof content === 'string') {
      if (!content) return `messages.${i}.content: must not be empty`;
      continue;
    }
    if (!Array.isArray(content) || content.length === 0)
      return `messages.${i}.content: Input should be a string or a non-empty list of blocks`;
    if (content.some((block: any) => typeof block?.type !== 'string')) return `messages.${i}.content: every block needs a type`;
  }
  // Each tool_use must be answered by a tool_result in the very next (user) message, and only those.
  for (const [i, message] of messages.entries()) {
    const blocks: any[] = Array.isArray(message.content) ? message.content : [];
    if (message.role === 'assistant') {
      const ids = blocks.filter((b) => b.type === 'tool_use').map((b) => b.id);
      if (!ids.length) continue;
      const next = messages[i + 1];
      const answered = new Set(
        (Array.isArray(next?.content) ? next.content : []).filter((b: any) => b.type === 'tool_result').map((b: any) => b.tool_use_id),
      );
      const missing = ids.filter((id: string) => !answered.has(id));
      if (next?.role !== 'user' || missing.length) {
        return `messages.${i + 1}: tool_use ids were found without tool_result blocks immediately after: ${missing.join(', ')}`;
      }
    } else {
      const previous: any[] = Array.isArray(messages[i - 1]?.content) ? messages[i - 1].content : [];
      const known = new Set(previous.filter((b) => b.type === 'tool_use').map((b) => b.id));
      const stray = blocks.find((b) => b.type === 'tool_result' && !known.has(b.tool_use_id));
      if (stray) return `messages.${i}.content: unexpected tool_use_id found in tool_result blocks: ${stray.tool_use_id}`;
    }
  }
  return null;
}
