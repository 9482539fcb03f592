/**
 * Does an answer admit it does not know? Such answers mark a knowledge gap: the question was asked,
 * the assistant (or agent) had nothing to give. The phrases are the usual ways of saying so, including
 * handing the question on ("let me check", "I'll escalate this", "a colleague will get back to you").
 */

interface UncertaintyRule {
  name: string;
  pattern: RegExp;
}

const RULES: readonly UncertaintyRule[] = [
  { name: 'not sure', pattern: /\b(?:i'm|i am|im|we're|we are) (?:not (?:sure|certain)|unsure|uncertain)\b/ },
  { name: "don't know", pattern: /\b(?:i|we) (?:don't|do not|dont) (?:know|have (?:that |this |any |enough )?information)\b/ },
  {
    name: 'no information',
    pattern: /\b(?:i|we) (?:have no|couldn't find any|could not find any|can't find any|cannot find any) (?:information|details|answer)\b/,
  },
  {
    name: 'let me check',
    pattern: /\blet me (?:check|find out|look into|ask|get back)\b|\bi(?:'ll| will) (?:need to )?(?:check|find out|look into)\b/,
  },
  { name: 'escalates', pattern: /\bescalat(?:e|es|ed|ing|ion)\b/ },
  {
    name: 'hands over',
    pattern:
      /\b(?:transfer(?:ring)?|forward(?:ing)?|pass(?:ing)?) (?:you|this|your (?:question|request)) (?:on )?to\b|\b(?:a|one of our) (?:colleague|specialist|human|agent|teammate)s? will\b|\bget back to you\b/,
  },
  {
    name: "can't help",
    pattern:
      /\b(?:i|we) (?:can't|cannot|can not|am unable to|'m unable to|are unable to|'re unable to) (?:help|answer|assist)\b|\b(?:i'm|i am) (?:unable|not able) to (?:help|answer|assist)\b|\b(?:i'm )?afraid i (?:can't|cannot|don't)\b/,
  },
];

export interface UncertaintyVerdict {
  uncertain: boolean;
  /** Names of the phrases found. */
  signals: string[];
}

export function detectUncertainAnswer(response: string | null | undefined): UncertaintyVerdict {
  if (!response) return { uncertain: false, signals: [] };
  const text = response.toLowerCase().replace(/[‘’`]/g, "'").replace(/\s+/g, ' ');
  const signals = RULES.filter((rule) => rule.pattern.test(text)).map((rule) => rule.name);
  return { uncertain: signals.length > 0, signals };
}
