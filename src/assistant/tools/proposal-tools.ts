import { z } from 'zod';
import { PROPOSAL_TYPES, STATUSES } from '../../domain/proposal.ts';
import { proposalCitation, requireProposal } from './proposal-citation.ts';
import { defineTool } from './tool.ts';

const idInput = { proposalId: z.string().trim().min(1).max(100).describe('The proposal id') };
const PATCH_CHARS = 6000;

export const listProposalsTool = defineTool({
  name: 'list_proposals',
  description: 'Proposals, newest first, optionally of one status and type, with id, title, type, priority, status and version.',
  input: z.object({
    status: z.enum(STATUSES).optional(),
    type: z.enum(PROPOSAL_TYPES).optional(),
    limit: z.number().int().min(1).max(25).optional().describe('Default 10'),
  }),
  async run(input, sources) {
    const list = await sources.store.list({
      limit: input.limit ?? 10,
      offset: 0,
      ...(input.status ? { status: input.status } : {}),
      ...(input.type ? { type: input.type } : {}),
    });
    const items = list.items.map((p) => ({
      id: p.id,
      title: p.title,
      type: p.type,
      priority: p.priority,
      status: p.status,
      version: p.version,
      createdAt: p.createdAt,
    }));
    return {
      summary: `${list.total} proposal(s)${input.status ? ` ${input.status}` : ''}${input.type ? ` of type ${input.type}` : ''}; showing ${items.length}.`,
      data: { total: list.total, proposals: items },
      citations: await Promise.all(list.items.slice(0, 10).map((p) => proposalCitation(p, sources))),
      table: {
        title: 'Proposals',
        columns: ['id', 'title', 'type', 'priority', 'status'],
        rows: items.map((p) => [p.id, p.title, p.type, p.priority, p.status]),
      },
    };
  },
});

export const showProposalTool = defineTool({
  name: 'show_proposal',
  description: 'One proposal: summary, evidence, priority, risk, plans, status, and its history (who did what, when, with which reason).',
  input: z.object(idInput),
  async run(input, sources) {
    const p = await requireProposal(input.proposalId, sources);
    return {
      summary: `Proposal ${p.id} (v${p.version}) is ${p.status}; ${p.history.length} history entries.`,
      data: {
        id: p.id,
        title: p.title,
        type: p.type,
        priority: p.priority,
        status: p.status,
        version: p.version,
        summary: p.summary,
        risk: p.risk,
        implementationPlan: p.implementationPlan,
        rollbackPlan: p.rollbackPlan,
        testPlan: p.testPlan,
        evidence: p.evidence,
        subject: p.subject ?? null,
        writtenBy: p.writtenBy ?? null,
        hasPatch: Boolean(p.patch),
        history: p.history.map((h) => ({
          version: h.version,
          at: h.at,
          actor: h.actor,
          action: h.action,
          from: h.from,
          to: h.to,
          ...(h.reason ? { reason: h.reason } : {}),
        })),
      },
      citations: [await proposalCitation(p, sources)],
    };
  },
});

export const showPatchTool = defineTool({
  name: 'show_patch',
  description:
    "A proposal's patch (unified diff, cut to 6000 characters), what trying it before filing showed, and the execution result if it ran.",
  input: z.object(idInput),
  async run(input, sources) {
    const p = await requireProposal(input.proposalId, sources);
    const patch = p.patch ?? null;
    const files = patch ? [...patch.matchAll(/^\+\+\+ b\/(.+)$/gm)].map((m) => m[1]) : [];
    return {
      summary: patch
        ? `Proposal ${p.id} has a patch touching ${files.length} file(s)${p.preflight ? `; tried before filing: ${p.preflight.passed ? 'passed' : 'failed'}` : '; not tried before filing'}${p.execution ? `; executed` : ''}.`
        : `Proposal ${p.id} has no patch${p.execution ? '; it was executed by the agent' : ''}.`,
      data: {
        id: p.id,
        files,
        patch:
          patch && patch.length > PATCH_CHARS ? `${patch.slice(0, PATCH_CHARS)}\n[… ${patch.length - PATCH_CHARS} more characters]` : patch,
        trial: p.preflight ?? null,
        execution: p.execution ?? null,
      },
      citations: [await proposalCitation(p, sources)],
    };
  },
});

export const explainFindingTool = defineTool({
  name: 'explain_finding',
  description:
    'The evidence behind a proposal: which analyzer found it, the measured numbers, what it is about (endpoint, files), its size, and when it was filed or refreshed.',
  input: z.object(idInput),
  async run(input, sources) {
    const p = await requireProposal(input.proposalId, sources);
    const refreshes = p.history.filter((h) => h.action === 'refreshed' || h.action === 'refresh').length;
    return {
      summary: `Proposal ${p.id} comes from the ${p.source ?? p.type} analyzer with ${p.evidence.length} evidence item(s).`,
      data: {
        id: p.id,
        analyzer: p.source ?? p.type,
        fingerprint: p.fingerprint,
        magnitude: p.magnitude ?? null,
        subject: p.subject ?? null,
        evidence: p.evidence,
        filedAt: p.createdAt,
        updatedAt: p.updatedAt,
        refreshes,
      },
      citations: [await proposalCitation(p, sources)],
      table: {
        title: `Evidence of ${p.id}`,
        columns: ['evidence', 'value'],
        rows: p.evidence.map((e) => [e.label, `${String(e.value)}${e.unit ? ` ${e.unit}` : ''}`]),
      },
    };
  },
});

/**
 * The one answer to "approve it", "execute 123", "reject this": the proposal's own buttons, which the
 * person presses and which are authorized like every click. The assistant itself changes nothing.
 */
export const offerActionsTool = defineTool({
  name: 'offer_proposal_actions',
  description:
    "Attach a proposal's own Approve / Reject / Execute buttons to the answer, for when the person asks to act on it. You cannot approve, reject, execute or change anything yourself; the person presses the button and is authorized as usual.",
  input: z.object(idInput),
  async run(input, sources) {
    const p = await requireProposal(input.proposalId, sources);
    return {
      summary: `The buttons of proposal ${p.id} (${p.status}) are attached; pressing one is checked against the approvers as usual.`,
      data: { id: p.id, status: p.status },
      citations: [await proposalCitation(p, sources)],
      actionsFor: [p.id],
    };
  },
});
