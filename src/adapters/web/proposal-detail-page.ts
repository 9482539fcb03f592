import { randomBytes } from 'node:crypto';
import { TRANSITIONS } from '../../domain/lifecycle.ts';
import type { ChangeOutcome } from '../../domain/outcome.ts';
import { describeMeasurement } from '../../proposals/outcomes/measure-outcomes.ts';
import type { Proposal } from '../../domain/proposal.ts';
import { executeAvailability } from '../../proposals/execute-availability.ts';
import { testFilesTouched } from '../executor/rails/test-files.ts';
import { branchLink, commitLink, fileUrl, linkCodeReferences, type CodeHost } from './code-host-links.ts';
import { renderDiff } from './diff-view.ts';
import { evidenceChart } from './evidence-chart.ts';
import { html, type HtmlValue, type SafeHtml } from './html.ts';
import { formatTime, page, statusBadge, type Viewer } from './layout.ts';
import { renderMarkdown } from './markdown.ts';
import type { Flash } from './flash.ts';

export type DecisionAction = 'approve' | 'reject' | 'execute' | 'rollback';

/** A fresh key per rendered form: submitting the same form twice applies once. */
function idempotencyKey(): string {
  return randomBytes(18).toString('base64url');
}

function decisionForm(
  p: Proposal,
  viewer: Viewer,
  action: DecisionAction,
  label: string,
  options: { reason?: boolean; disabled?: string } = {},
): SafeHtml {
  return html`<form class="decision decision-${action}" method="post" action="/proposals/${encodeURIComponent(p.id)}/${action}">
    <input type="hidden" name="csrf" value="${viewer.csrf}" />
    <input type="hidden" name="idempotencyKey" value="${idempotencyKey()}" />
    <input type="hidden" name="expectedVersion" value="${p.version}" />
    ${
      options.reason
        ? html`<label for="reason-${action}">Reason (required)</label
            ><textarea id="reason-${action}" name="reason" required maxlength="2000" rows="2"></textarea>`
        : ''
    }
    <button type="submit" name="action" value="${action}" ${options.disabled ? html` disabled title="${options.disabled}"` : ''}>
      ${label}
    </button>
    ${options.disabled ? html`<span class="sub">${options.disabled}</span>` : ''}
  </form>`;
}

function actions(p: Proposal, viewer: Viewer, canExecute: boolean, hasAgent: boolean): SafeHtml {
  const next = TRANSITIONS[p.status];
  // A learning proposal publishes (and withdraws) a knowledge entry: the executor plays no part.
  const noExecutor = canExecute || p.type === 'learning' ? undefined : 'No executor is configured on this installation';
  const availability = executeAvailability(p, { hasAgent });
  const cannotExecute = noExecutor ?? (availability.available ? undefined : availability.reason);
  const forms: SafeHtml[] = [];
  if (next.includes('approved'))
    forms.push(decisionForm(p, viewer, 'approve', p.status === 'failed' ? 'Approve again (retry)' : 'Approve'));
  if (next.includes('rejected')) forms.push(decisionForm(p, viewer, 'reject', 'Reject', { reason: true }));
  if (next.includes('executing') && p.status === 'approved')
    forms.push(decisionForm(p, viewer, 'execute', 'Execute', cannotExecute ? { disabled: cannotExecute } : {}));
  if (next.includes('rolled_back'))
    forms.push(decisionForm(p, viewer, 'rollback', 'Roll back', { reason: true, ...(noExecutor ? { disabled: noExecutor } : {}) }));
  if (!forms.length) return html`<p class="sub">No decision is open: the proposal is ${p.status.replace('_', ' ')}.</p>`;
  return html`<div class="actions">${forms}</div>`;
}

function section(title: string, body: HtmlValue): SafeHtml {
  return html`<section>
    <h2>${title}</h2>
    ${body}
  </section>`;
}

/** Where the page links out to: the code host (from GIT_REMOTE) and the proposal's Slack message. */
export interface ProposalLinks {
  codeHost?: CodeHost;
  /** chat.getPermalink of the proposal's message; absent when Slack is off or did not answer. */
  slackMessage?: string;
}

/** The pull request of the change, linked only when GitHub gave an http(s) URL. */
function pullRequestFact(p: Proposal): SafeHtml | '' {
  const pr = p.pullRequest;
  if (!pr) return '';
  const label = `#${pr.number}`;
  const link = /^https?:\/\//.test(pr.url) ? html`<a href="${pr.url}" rel="noopener noreferrer">${label}</a>` : label;
  const more = [pr.state, pr.checks ? `checks: ${pr.checks}` : '', pr.review ? `review: ${pr.review.replace('_', ' ')}` : '']
    .filter(Boolean)
    .join(' · ');
  return html`<dt>${pr.host === 'gitlab' ? 'Merge request' : 'Pull request'}</dt>
    <dd>${link} ${more}</dd>`;
}

function execution(p: Proposal, links: ProposalLinks): SafeHtml | '' {
  const e = p.execution;
  if (!e) return '';
  return section(
    p.status === 'failed' ? 'Execution failed' : 'Execution',
    html`<dl class="facts">
        ${
          e.branch
            ? html`<dt>Branch</dt>
                <dd>${branchLink(links.codeHost, e.branch)}</dd>`
            : ''
        }
        ${
          e.commit
            ? html`<dt>Commit</dt>
                <dd>${commitLink(links.codeHost, e.commit)}</dd>`
            : ''
        }
        ${
          e.startedAt
            ? html`<dt>Started</dt>
                <dd>${formatTime(e.startedAt)}</dd>`
            : ''
        }
        ${
          e.finishedAt
            ? html`<dt>Finished</dt>
                <dd>${formatTime(e.finishedAt)}</dd>`
            : ''
        }
        ${
          e.testSummary
            ? html`<dt>Tests</dt>
                <dd>${e.testSummary}</dd>`
            : ''
        }
        ${pullRequestFact(p)}
        ${
          e.error
            ? html`<dt>Error</dt>
                <dd class="error">${e.error}</dd>`
            : ''
        }
      </dl>
      ${e.diffstat ? html`<pre class="output">${e.diffstat}</pre>` : ''}
      ${
        e.outputTail
          ? html`<details>
              <summary>Output (tail)</summary>
              <pre class="output">${e.outputTail}</pre>
            </details>`
          : ''
      }`,
  );
}

/** The fragment route that serves a proposal's live parts. */
export function liveHref(id: string): string {
  return `/fragments/proposals/${encodeURIComponent(id)}`;
}

/**
 * Status, decisions and execution: the part of the page that refreshes itself while the change
 * runs. Polling is an attribute of this element, and a version rendered once the proposal has left
 * `executing` carries none, so swapping it in is what stops the polling.
 */
function liveBlock(
  p: Proposal,
  viewer: Viewer,
  canExecute: boolean,
  refreshSeconds: number,
  hasAgent = false,
  links: ProposalLinks = {},
): SafeHtml {
  const running = p.status === 'executing';
  return html`<div
    id="proposal-live"
    ${running ? html` hx-get="${liveHref(p.id)}" hx-trigger="every ${refreshSeconds}s" hx-swap="outerHTML"` : ''}
  >
    <div class="meta">
      ${statusBadge(p.status)} <span class="priority priority-${p.priority}">${p.priority}</span>
      <span>${p.type.replace('_', ' ')}${p.category ? ` · ${p.category}` : ''}</span>
      <span class="sub"
        >version ${p.version} · filed ${formatTime(p.createdAt)} · written by
        ${p.writtenBy ?? 'unknown'}${p.source ? ` · from ${p.source}` : ''}${p.subject?.endpoint ? ` · ${p.subject.endpoint}` : ''}</span
      >
      ${running ? html`<span class="sub live-note">This page follows the execution every ${refreshSeconds} s.</span>` : ''}
    </div>
    ${testEditsNote(p)} ${actions(p, viewer, canExecute, hasAgent)} ${execution(p, links)}
  </div>`;
}

/** The files the finding points at, linked to the code host when it is known. */
function subjectFiles(p: Proposal, links: ProposalLinks): SafeHtml | '' {
  const files = p.subject?.files ?? [];
  if (!files.length) return '';
  return section(
    'Files',
    html`<ul class="files">
      ${files.map(
        (file) =>
          html`<li>
            ${
              links.codeHost
                ? html`<a href="${fileUrl(links.codeHost, file)}" rel="noopener noreferrer" target="_blank"><code>${file}</code></a>`
                : html`<code>${file}</code>`
            }
          </li>`,
      )}
    </ul>`,
  );
}

/** Shown above the buttons: an approver sees that a patch edits tests before approving it. */
function testEditsNote(p: Proposal): SafeHtml | '' {
  const files = p.patch ? testFilesTouched(p.patch) : [];
  if (!files.length && !(p.patch && p.changesTests)) return '';
  return html`<p class="error" role="note">This change edits tests: ${files.join(', ') || 'none found in the patch'}</p>`;
}

/** `outOfBand` marks the copy sent with a live fragment, which htmx swaps in by its id. */
function history(p: Proposal, outOfBand = false): SafeHtml {
  return html`<section id="proposal-history" ${outOfBand ? html` hx-swap-oob="true"` : ''}>
    <h2>History</h2>
    <table class="history">
      <thead>
        <tr>
          <th>#</th>
          <th>When</th>
          <th>Who</th>
          <th>What</th>
          <th>Reason</th>
        </tr>
      </thead>
      <tbody>
        ${[...p.history].reverse().map(
          (h) =>
            html`<tr>
              <td>${h.version}</td>
              <td>${formatTime(h.at)}</td>
              <td>${h.actor}</td>
              <td>${h.action.replace(/_/g, ' ')}${h.from ? html` <span class="sub">${h.from} → ${h.to}</span>` : ''}</td>
              <td>${h.reason ?? ''}</td>
            </tr>`,
        )}
      </tbody>
    </table>
  </section>`;
}

/** What the fragment route answers: the live block, and the history beside it out of band. */
export function proposalLiveFragment(options: {
  viewer: Viewer;
  proposal: Proposal;
  canExecute: boolean;
  /** The executor can have an agent write a change without a patch; absent: it cannot. */
  hasAgent?: boolean;
  refreshSeconds: number;
  links?: ProposalLinks;
}): SafeHtml {
  return html`${liveBlock(options.proposal, options.viewer, options.canExecute, options.refreshSeconds, options.hasAgent, options.links)}${history(options.proposal, true)}`;
}

/** What the fragment route answers once the proposal is gone (swept after its retention): no more polling. */
export function proposalGoneFragment(): SafeHtml {
  return html`<div id="proposal-live">
    <p class="flash error" role="status">This proposal is no longer stored (it expired or was removed).</p>
  </div>`;
}

/** Did the change help: the verdict of its before/after test, with the effect and how sure it is. */
function outcomeSection(outcome: ChangeOutcome): SafeHtml {
  const kind = outcome.verdict === 'improved' ? 'ok' : outcome.verdict === 'worse' ? 'error' : '';
  return section(
    'Did it help?',
    html`<p class="flash ${kind}" role="status">
        <strong>${outcome.verdict === 'improved' ? 'Improved' : outcome.verdict === 'worse' ? 'Worse' : 'No measurable change'}</strong>:
        ${describeMeasurement(outcome)}
      </p>
      <p class="sub">
        ${outcome.test} test over ${outcome.windowDays} days on each side of the change (${outcome.marker} ${formatTime(outcome.changedAt)}${outcome.markedBy ? `: ${outcome.markedBy}` : ''}),
        measured ${formatTime(outcome.measuredAt)}.
      </p>`,
  );
}

export function proposalDetailPage(options: {
  viewer: Viewer;
  proposal: Proposal;
  canExecute: boolean;
  /** The executor can have an agent write a change without a patch; absent: it cannot. */
  hasAgent?: boolean;
  refreshSeconds: number;
  flash?: Flash;
  links?: ProposalLinks;
  /** The change's before/after verdict, once measured. */
  outcome?: ChangeOutcome;
}): SafeHtml {
  const { proposal: p, viewer, flash } = options;
  const links = options.links ?? {};
  return page({
    title: p.title,
    viewer,
    active: 'proposals',
    withDiff: Boolean(p.patch),
    live: true,
    body: html`<p class="crumbs">
        <a href="/proposals">Proposals</a> / <span>${p.id}</span>
        ${
          links.slackMessage
            ? html` · <a class="slack-link" href="${links.slackMessage}" rel="noopener noreferrer" target="_blank">Open the Slack message</a>`
            : ''
        }
      </p>
      <h1>${p.title}</h1>
      ${flash ? html`<p class="flash ${flash.kind}" role="status">${flash.message}</p>` : ''}
      ${liveBlock(p, viewer, options.canExecute, options.refreshSeconds, options.hasAgent, links)}
      ${options.outcome ? outcomeSection(options.outcome) : ''}
      ${section('Summary', renderMarkdown(p.summary))}
      ${p.series ? section('Measured', evidenceChart(p.series)) : ''}
      ${section(
        'Evidence',
        p.evidence.length
          ? html`<div class="table-scroll">
              <table class="evidence">
                <tbody>
                  ${p.evidence.map(
                    (e) =>
                      html`<tr>
                        <th>${e.label}</th>
                        <td>
                          ${typeof e.value === 'number' ? e.value.toLocaleString('en') : linkCodeReferences(e.value, links.codeHost)}${e.unit ? ` ${e.unit}` : ''}
                        </td>
                      </tr>`,
                  )}
                </tbody>
              </table>
            </div>`
          : html`<p class="sub">No evidence recorded.</p>`,
      )}
      ${section('Risk', renderMarkdown(p.risk))} ${section('Implementation plan', renderMarkdown(p.implementationPlan))}
      ${section('Rollback plan', renderMarkdown(p.rollbackPlan))} ${section('Test plan', renderMarkdown(p.testPlan))}
      ${
        p.preflight
          ? section(
              'Patch trial',
              html`<p class="${p.preflight.passed ? 'ok' : 'error'}">
                  ${p.preflight.passed ? 'Passed' : 'Did not pass'}: ${p.preflight.summary}
                  <span class="sub">(${formatTime(p.preflight.at)})</span>
                </p>
                ${
                  p.preflight.outputTail
                    ? html`<details>
                        <summary>Output (tail)</summary>
                        <pre class="output">${p.preflight.outputTail}</pre>
                      </details>`
                    : ''
                }`,
            )
          : ''
      }
      ${subjectFiles(p, links)} ${p.patch ? section('Patch', renderDiff(p.patch)) : ''} ${history(p)}`,
  });
}
