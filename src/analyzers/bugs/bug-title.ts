import type { StackFrame } from '../errors/stack-frames.ts';

/**
 * A bug's name as error trackers give it: the exception type, the culprit (the top in-app frame's
 * function) and its repository file, `TypeError in applyDiscount (src/cart/pricing.js)`. The message
 * itself is shown beside the title as a real example, not as a masked template in it.
 */

// `TypeError: …`, `PaymentTimeoutError: …`, `java.lang.IllegalStateException: …`: a name, then a colon.
const TYPE_PREFIX = /^\s*([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*(?:Error|Exception|Fault|Warning))(?::|\s*$)/;

/** The exception type from the stack's first line or the message's prefix; `Error` when neither names one. */
export function exceptionType(message: string, stack: string | null): string {
  const firstLine = stack?.split('\n', 1)[0] ?? '';
  return TYPE_PREFIX.exec(firstLine)?.[1] ?? TYPE_PREFIX.exec(message)?.[1] ?? 'Error';
}

/** The message without a leading `Type:`, as a person would quote it. */
export function messageText(message: string, type: string): string {
  const prefix = `${type}:`;
  const trimmed = message.trim();
  return trimmed.startsWith(prefix) ? trimmed.slice(prefix.length).trim() : trimmed;
}

/**
 * The function a person would look for: V8's receiver prefix of object-literal methods (`Object.`)
 * carries nothing; an anonymous frame has no name to show, so it is null and the file:line names it.
 */
export function culpritFunction(frame: StackFrame): string | null {
  const name = frame.function.replace(/^Object\./, '').trim();
  return name === '' || name.includes('<anonymous>') ? null : name;
}

export function bugTitle(type: string, frame: StackFrame | undefined, example: string): string {
  if (!frame) return `${type}: ${truncate(messageText(example, type), 100)}`;
  const culprit = culpritFunction(frame);
  return culprit ? `${type} in ${culprit} (${frame.file})` : `${type} at ${frame.file}:${frame.line}`;
}

/**
 * Titles a cycle files side by side must tell their bugs apart: when two groups would share a title
 * (two messages thrown by one function), each gets its message's first words after a colon.
 */
export function distinctTitles(titles: readonly { title: string; gist: string }[]): string[] {
  const seen = new Map<string, number>();
  for (const { title } of titles) seen.set(title, (seen.get(title) ?? 0) + 1);
  return titles.map(({ title, gist }) => (seen.get(title)! > 1 ? `${title}: ${truncate(gist, 60)}` : title));
}

export function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}
