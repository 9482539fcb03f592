import { mapStrings, stripInvisible } from '../invisible-characters.ts';

/**
 * Everything a finding carries came, at some remove, from people we do not trust: customers' messages,
 * error text, stack traces, request paths, code. It reaches the model only inside these blocks, which
 * the system prompt declares to be data. A block cannot be closed (or a new one opened) from inside:
 * any look-alike of the tag in the data is defused first.
 */
export const DATA_TAG = 'untrusted_data';

/** Where a block's text came from; the model is told what each one is. */
export const DATA_SOURCES = [
  'finding',
  'customer_messages',
  'error_messages',
  'stack_traces',
  'code',
  'finding_details',
  // A revision: the proposal as filed, its patch, what reviewers wrote, and what the person who asked wants.
  'proposal',
  'patch',
  'review_comments',
  'revision_instructions',
] as const;
export type DataSource = (typeof DATA_SOURCES)[number];

/**
 * `<untrusted_data`, `</untrusted_data`, `< / untrusted-data`, `<_UNTRUSTED.DATA` ... in any case: a
 * "<" followed, past any punctuation or spaces, by the tag's words. NFKC has already turned full-width
 * `＜` into `<`, and invisible characters that could split the words are gone.
 */
const TAG_LOOKALIKE = /<(?=[\W_]*untrusted[\W_]*data)/giu;

/** Untrusted text as the model may see it: no invisible characters, compatibility forms folded, no tag look-alikes. */
export function cleanUntrustedText(text: string): string {
  const folded = stripInvisible(stripInvisible(text).normalize('NFKC'));
  return folded.replace(TAG_LOOKALIKE, '&lt;');
}

export interface DataBlockOptions {
  /** Longer text is cut, and the cut said, so one huge stack trace cannot eat the token budget. */
  maxChars: number;
}

/** One labeled block. Strings go in as they are (readable stack traces and code); anything else as JSON. */
export function dataBlock(source: DataSource, field: string, value: unknown, options: DataBlockOptions): string {
  const cleaned = mapStrings(value, cleanUntrustedText);
  let body = typeof cleaned === 'string' ? cleaned : (JSON.stringify(cleaned, null, 2) ?? 'null');
  // JSON.stringify does not escape "<", and a key or value may have been rebuilt into a tag by the join.
  body = body.replace(TAG_LOOKALIKE, '&lt;');
  if (body.length > options.maxChars) {
    body = `${body.slice(0, options.maxChars)}\n[… ${body.length - options.maxChars} more characters cut]`;
  }
  return `<${DATA_TAG} source="${source}" field="${safeAttribute(field)}">\n${body}\n</${DATA_TAG}>`;
}

/** Field names are analyzer keys; kept to a harmless alphabet anyway, since they sit inside the tag. */
function safeAttribute(value: string): string {
  return value.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 64) || 'value';
}

/**
 * Which source a finding's detail belongs to, from its key. Analyzers name their details freely
 * ("quotes", "stack", "errorMessage", "handlers"); unknown keys are still data, labeled as details.
 */
export function sourceOfDetail(key: string, findingType: string): DataSource {
  if (/stack|frame|trace/i.test(key)) return 'stack_traces';
  if (/error|exception|template|log/i.test(key)) return 'error_messages';
  if (findingType === 'bug_fix' && /message|sample/i.test(key)) return 'error_messages';
  if (/code|snippet|source|handler|diff|file/i.test(key)) return 'code';
  if (/quote|request|message|conversation|customer|question|answer|feedback|interaction|example/i.test(key)) return 'customer_messages';
  return 'finding_details';
}
