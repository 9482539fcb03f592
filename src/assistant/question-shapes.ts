import { isProposalId } from '../domain/ids.ts';
import { PROPOSAL_TYPES, STATUSES } from '../domain/proposal.ts';
import type { Question } from './answer.ts';
import { windowOfQuestion } from './question-window.ts';

/** A question the offline answerer understands: a tool and its input, or help. */
export type QuestionShape = { tool: string; input: Record<string, unknown> } | { help: true; unknown?: boolean };

/** What the offline answerer can answer, as the help and the "I did not understand" reply list it. */
export const OFFLINE_SHAPES = [
  '`slowest endpoints` (add `yesterday`, `since 2026-11-24`, `last 3 days`, or an endpoint such as `/api/checkout`)',
  '`errors since <date>` (or `new errors since Tuesday`, `errors on /api/orders yesterday`)',
  '`top feature requests` (add `enterprise` for one plan)',
  '`customer topics`',
  '`proposals` (add a status: `pending`, `approved`, …)',
  '`proposal <id>`, `patch <id>`, `evidence <id>`',
  '`approve <id>` (answers with the proposal’s buttons; pressing one is authorized as usual)',
];

const GENERATED_ID = /\b((?:learning|performance|codequality|feature|bugfix)-\d{8}-[0-9a-f]{10})\b/;
const ACTION = /\b(approve|reject|execute|run|roll\s*back|rollback|retry)\b/;

/**
 * Deterministic parsing of a fixed set of question shapes. It reads keywords only; a question it
 * does not recognize gets the help with `unknown: true`, never a guess.
 */
export function parseQuestion(question: Question, now: Date): QuestionShape {
  const text = question.text.replace(/<@[A-Z0-9]+>/g, ' ').trim();
  const t = text.toLowerCase();
  if (!t || /^(help|\?|what can you (do|answer)\??)$/.test(t)) return { help: true };
  const window = windowOfQuestion(t, now) ?? {};
  const explicitId = proposalIdIn(text);
  const id = explicitId ?? question.proposalId;

  if (ACTION.test(t) && id) return { tool: 'offer_proposal_actions', input: { proposalId: id } };
  if (/\b(patch|diff|change|trial)\b/.test(t) && id) return { tool: 'show_patch', input: { proposalId: id } };
  if (/\b(evidence|why|finding|explain)\b/.test(t) && id && !/\b(slow|latency|errors?)\b/.test(t))
    return { tool: 'explain_finding', input: { proposalId: id } };
  if (/\bproposal\b/.test(t) && explicitId) return { tool: 'show_proposal', input: { proposalId: explicitId } };
  if (/\bproposals\b/.test(t)) {
    const status = STATUSES.find((s) => t.includes(s.replace('_', ' ')) || t.includes(s));
    const type = PROPOSAL_TYPES.find((s) => t.includes(s.replace('_', ' ')));
    return { tool: 'list_proposals', input: { ...(status ? { status } : {}), ...(type ? { type } : {}) } };
  }
  if (/\b(feature|features|ask(ed)? for|requests?)\b/.test(t) && !/\berrors?\b/.test(t)) {
    const plan = /\b(enterprise|business|pro|team|free|starter|premium)\b/.exec(t)?.[1];
    return { tool: 'feature_themes', input: { ...window, ...(plan ? { plan } : {}) } };
  }
  if (/\b(errors?|exceptions?|crash(es)?|failures?|bugs?)\b/.test(t)) {
    const endpoint = endpointIn(text);
    const onlyNew = /\b(new|started|began|introduced|appeared)\b/.test(t);
    return { tool: 'error_groups', input: { ...window, ...(endpoint ? { endpoint } : {}), ...(onlyNew ? { onlyNew } : {}) } };
  }
  if (/\b(slow|slowest|slower|latency|latencies|p95|p99|fast|response times?)\b/.test(t)) {
    const endpoint = endpointIn(text);
    return { tool: 'endpoint_latency', input: { ...window, ...(endpoint ? { endpoint } : {}) } };
  }
  if (/\b(topics?|interactions?|talk about|sentiment|support)\b/.test(t)) return { tool: 'interaction_topics', input: window };
  if (question.proposalId && /\b(this|it|status|history|what)\b/.test(t))
    return { tool: 'show_proposal', input: { proposalId: question.proposalId } };
  return { help: true, unknown: true };
}

/** An id as the store makes them (performance-20261124-ab12cd34ef), or any valid id right after "proposal", "patch", …. */
function proposalIdIn(text: string): string | undefined {
  const generated = GENERATED_ID.exec(text)?.[1];
  if (generated) return generated;
  const after = /\b(?:proposal|patch|diff|evidence|approve|reject|execute|show)\s+`?([a-z0-9][a-z0-9_-]{0,79})`?(?![\w-])/.exec(text);
  const candidate = after?.[1];
  return candidate && isProposalId(candidate) && /\d/.test(candidate) ? candidate : undefined;
}

/** "/api/checkout", "GET /api/orders/:id", or "checkout" in "why did checkout get slower". */
function endpointIn(text: string): string | undefined {
  const path = /((?:GET|POST|PUT|PATCH|DELETE)\s+)?(\/[A-Za-z0-9_./:{}-]+)/.exec(text);
  if (path) return `${path[1] ?? ''}${path[2]}`.trim();
  const named = /\b(?:did|does|is|on|for|of)\s+(?:the\s+)?([a-z][a-z0-9_-]{2,40})\s+(?:get|got|become|endpoint|api|slow|errors?)/i.exec(
    text,
  );
  return named?.[1];
}
