import { describe, expect, it } from 'vitest';
import { detectFeatureRequest } from '../../../src/analyzers/features/detect-request.ts';

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
});
