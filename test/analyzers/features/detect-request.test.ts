import { describe, expect, it } from 'vitest';
import { detectFeatureRequest } from '../../../src/analyzers/features/detect-request.ts';
import { loadAssistantUtterances, loadJiraSummaries, type LabelledMessage } from '../../fixtures/feature-requests/labelled-messages.ts';

describe('telling a feature request from other customer messages', () => {
  it.each([
    ['it would be great', 'It would be great if reports could be scheduled weekly.'],
    ['can you add', 'Can you add a dark mode?'],
    ['please add', 'Please add two-factor authentication.'],
    ['please add', 'Please support exporting to Excel'],
    ['feature request', 'Feature request: bulk edit for tags'],
    ['i wish', 'I wish I could pin a dashboard to the top'],
    ['any plans to', 'Any plans to offer a Linux client?'],
    ['would love', "We'd love a Zapier integration"],
    ['add support for', 'Adding support for webhooks would help our team a lot.'],
    ['we need the ability', 'We need the ability to archive old projects'],
    ['is there a way to', 'Is there a way to share a board publicly? It would be nice to have.'],
  ])('recognizes "%s" phrasing in: %s', (signal, message) => {
    const verdict = detectFeatureRequest(message);
    expect(verdict.isRequest).toBe(true);
    expect(verdict.confidence).toBeGreaterThanOrEqual(0.5);
    expect(verdict.signals).toContain(signal);
  });

  it.each([
    'The export is broken since yesterday, please fix it.',
    'I get a 500 error when I save the invoice.',
    "Login doesn't work on Safari.",
    'How do I change my password?',
    'Where can I find the billing settings?',
    'Thanks, the new dashboard looks fantastic!',
    'Our invoices were charged twice this month.',
    'The app crashes every time I open a report.',
  ])('finds no request in a message without request phrasing: %s', (message) => {
    expect(detectFeatureRequest(message)).toMatchObject({ isRequest: false, signals: [] });
  });

  it.each([
    ['i need', 'I need bulk editing of my catalog'],
    ['let me', 'Please let me select several products and edit them together'],
    ['something please', 'Bulk edit please, editing one by one takes hours'],
    ['i need', 'We need CSV export of orders for accounting'],
    ['i need', 'We need SSO for our whole team'],
    ['something please', 'Dark mode please!'],
  ])('recognizes the needs phrasing "%s" in: %s', (signal, message) => {
    const verdict = detectFeatureRequest(message);
    expect(verdict.isRequest).toBe(true);
    expect(verdict.signals).toContain(signal);
  });

  it.each([
    'I need help resetting my password',
    'Let me know when it is fixed',
    'Fix it please',
    'Refund please',
    'I need to change my email',
  ])('reads a plea for support as no request: %s', (message) => {
    expect(detectFeatureRequest(message).isRequest).toBe(false);
  });

  it('reads a wish about a malfunction as a bug report', () => {
    const verdict = detectFeatureRequest("I wish the app didn't crash every time I upload a photo");
    expect(verdict.isRequest).toBe(false);
    expect(verdict.signals).toEqual(['i wish']);
    expect(verdict.against).toEqual(['reports a malfunction']);
  });

  it('reads "is there a way" alongside a how-to question as a question', () => {
    const verdict = detectFeatureRequest('How do I export? Is there a way to get a CSV?');
    expect(verdict.isRequest).toBe(false);
    expect(verdict.confidence).toBeLessThan(0.5);
  });

  it('is more confident when several phrasings agree', () => {
    const one = detectFeatureRequest('Can you add a calendar view?').confidence;
    const two = detectFeatureRequest('Can you add a calendar view? Would love it.').confidence;
    expect(two).toBeGreaterThan(one);
    expect(two).toBeLessThanOrEqual(1);
  });

  it('reads curly apostrophes and capitals like plain ones', () => {
    expect(detectFeatureRequest('WE’D LOVE A DARK MODE').isRequest).toBe(true);
  });

  it.each([
    ['asks to add', 'Support TLS 1.3'],
    ['asks to add', '[Umbrella] Support an interactive shell in running containers'],
    ['asks to add', 'Add a dark mode'],
    ['asks to add', 'Allow overriding submissions from server-side settings'],
  ])('recognizes a ticket title naming the capability it wants ("%s"): %s', (signal, message) => {
    const verdict = detectFeatureRequest(message);
    expect(verdict.isRequest).toBe(true);
    expect(verdict.signals).toContain(signal);
  });

  it.each([
    'Fix typo in the console output',
    'Remove stale eclipse templates',
    'NPE while the datanode is shutting down',
    'Support never answered my email from Monday',
    'Offer code SPRING10 is rejected at checkout',
  ])('reads a fix, or the word used as a noun, as no request: %s', (message) => {
    expect(detectFeatureRequest(message).isRequest).toBe(false);
  });

  it.each([
    'i need a table for four at 7pm',
    'i need 300 dollars moved to my savings account',
    'i need a timer set please',
    'change my language please',
    'help me find my keys please',
    'add milk to my shopping list',
    'is bread on my grocery list? if not please add it',
    'provide assistance with my vacation request',
  ])('reads a task asked of an assistant as no feature request: %s', (message) => {
    expect(detectFeatureRequest(message).isRequest).toBe(false);
  });

  it('still reads a request for a new capability next to a list as a request', () => {
    expect(detectFeatureRequest('Please add an option to share my shopping list').isRequest).toBe(true);
  });
});

function scores(messages: LabelledMessage[]): { precision: number; recall: number; falseAlarms: number } {
  const found = messages.map((m) => detectFeatureRequest(m.text).isRequest);
  const hits = found.filter((f, i) => f && messages[i]!.isRequest).length;
  const flagged = found.filter(Boolean).length;
  return {
    precision: flagged === 0 ? 0 : hits / flagged,
    recall: hits / Math.max(1, messages.filter((m) => m.isRequest).length),
    falseAlarms: flagged - hits,
  };
}

describe('the labelled public messages (test/fixtures/feature-requests)', () => {
  it('splits the 3.3.0 Jira summaries by type in file order and holds out all of 3.1.0, with the source labels', () => {
    const first = loadJiraSummaries();
    const heldOut = loadJiraSummaries('held-out');
    expect(first).toHaveLength(61);
    expect(heldOut).toHaveLength(113);
    expect(first.filter((m) => m.isRequest)).toHaveLength(18);
    expect(heldOut.filter((m) => m.isRequest)).toHaveLength(35);
    expect(heldOut.at(-1)).toEqual({ id: 'HADOOP-9747', text: 'Reduce unnecessary UGI synchronization', label: 'Bug', isRequest: false });
    expect(first[0]).toEqual({
      id: 'HADOOP-15885',
      text: 'Add base64 (urlString) support to DTUtil',
      label: 'New Feature',
      isRequest: true,
    });
    expect(new Set([...first, ...heldOut].map((m) => m.label))).toEqual(new Set(['New Feature', 'Bug']));
    expect(first.filter((m) => heldOut.some((h) => h.id === m.id))).toEqual([]);
  });

  it('splits the assistant utterances by intent, none of them a feature request', () => {
    const first = loadAssistantUtterances();
    const heldOut = loadAssistantUtterances('held-out');
    expect(first).toHaveLength(500);
    expect(heldOut).toHaveLength(500);
    expect(first.some((m) => m.isRequest) || heldOut.some((m) => m.isRequest)).toBe(false);
    expect(first.filter((m) => heldOut.some((h) => h.label === m.label))).toEqual([]);
  });

  // Measured on the first part, the one the rules were revised on (bench/request-detection.ts gives
  // both parts): Jira 1.000 / 0.500, 1 false alarm in 500 assistant utterances; before: no request found, 24.
  it('finds the feature requests of the first part above the measured floor', () => {
    const jira = scores(loadJiraSummaries());
    expect(jira.precision).toBeGreaterThanOrEqual(0.9);
    expect(jira.recall).toBeGreaterThanOrEqual(0.5);
    expect(scores(loadAssistantUtterances()).falseAlarms).toBeLessThanOrEqual(2);
  });
});
