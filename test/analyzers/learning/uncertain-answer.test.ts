import { describe, expect, it } from 'vitest';
import { detectUncertainAnswer } from '../../../src/analyzers/learning/uncertain-answer.ts';

describe('telling an unsure answer from a confident one', () => {
  it.each([
    ['not sure', "I'm not sure, sorry."],
    ['not sure', 'I am not certain that applies to your plan.'],
    ["don't know", "I don't know whether we support that."],
    ["don't know", "We don't have that information yet."],
    ["don't know", "Sorry, I don't have information about refunds for annual plans."],
    ['let me check', 'Let me check with the team.'],
    ['let me check', "I'll need to look into it."],
    ['escalates', "I've escalated this to our billing specialists."],
    ['escalates', 'Escalating to a human agent now.'],
    ['hands over', 'A colleague will get back to you tomorrow.'],
    ["can't help", "I'm afraid I can't do that from here."],
    ["can't help", "Sorry, I can't help with refunds."],
    ["can't help", 'I am unable to answer questions about contracts.'],
  ])('hears "%s" in: %s', (signal, answer) => {
    const verdict = detectUncertainAnswer(answer);
    expect(verdict.uncertain).toBe(true);
    expect(verdict.signals).toContain(signal);
  });

  it.each([
    'Use the Forgot password link on the sign-in page.',
    'Invoices are under Settings > Billing > Invoices.',
    'Yes, the calendar syncs with Outlook every five minutes.',
    'Sure, I can help with that: open Settings and choose Rename.',
    '',
  ])('hears no doubt in: "%s"', (answer) => {
    expect(detectUncertainAnswer(answer)).toEqual({ uncertain: false, signals: [] });
  });

  it('treats a missing answer as not unsure (nothing was said)', () => {
    expect(detectUncertainAnswer(null).uncertain).toBe(false);
  });
});
