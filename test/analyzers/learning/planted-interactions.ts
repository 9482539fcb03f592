import { randomData } from '../random-data.ts';
import type { InteractionRow } from '../../helpers/memory-warehouse.ts';

/**
 * A day of 120 planted support conversations, the ground truth of the learning tests:
 *
 * - refunds on annual plans (20): 18 answered unsure and ended badly (a knowledge gap), 2 resolved;
 * - password resets (30): resolved, 26 with one answer and 4 with another (a success pattern);
 * - invoice downloads (25): resolved with one answer (a success pattern);
 * - API rate limits (15) and the phone number (15): resolved, each with one answer;
 * - 15 one-off questions with no outcome and neutral sentiment.
 *
 * Bad outcomes: 18 of 120 (15%). Customer "vip-1" has five of the password conversations, four in
 * chat and one by email, on the mobile channel, with sentiment rising from −0.4 to 0.8.
 */

export const DAY = { from: new Date('2026-03-09T00:00:00Z'), to: new Date('2026-03-10T00:00:00Z') };
export const AS_OF = new Date('2026-03-10T06:00:00Z');

export const REFUND_QUESTIONS = [
  'How do I get a refund on my annual plan?',
  'Can I get a refund for the annual subscription?',
  'I want a refund of my annual plan, I cancelled after two months',
  'Refund for annual billing please',
  'Can the annual plan be refunded if I cancel early?',
];
export const UNSURE_REFUND_ANSWER =
  "I'm not sure whether annual plans can be refunded. Let me check with the billing team and get back to you.";
export const REFUND_ANSWER = 'Annual plans are refunded pro rata within 30 days of renewal: open Billing, then Cancel plan.';

export const PASSWORD_QUESTIONS = [
  'How do I reset my password?',
  'I forgot my password and cannot log in',
  'Password reset link please',
  'Where do I change my password?',
];
export const PASSWORD_ANSWER = 'Use the Forgot password link on the sign-in page; the reset email arrives within five minutes.';
export const PASSWORD_ANSWER_OTHER = 'Go to Settings > Security and choose Change password.';

export const INVOICE_QUESTIONS = [
  'Where can I download my invoice?',
  'I need a copy of last month invoice',
  'How do I download invoices as PDF?',
];
export const INVOICE_ANSWER = 'Invoices are under Settings > Billing > Invoices; each has a Download PDF button.';

const RATE_LIMIT_QUESTIONS = [
  'What is the API rate limit?',
  'I hit the API rate limit, what are the limits?',
  'How many API requests per minute are allowed by the rate limit?',
];
export const RATE_LIMIT_ANSWER = 'The API allows 600 requests per minute per token; the X-RateLimit headers show what is left.';
const PHONE_QUESTIONS = ['What is your phone number?', 'Can I call you? I need a phone number', 'Is there a phone number for support?'];
export const PHONE_ANSWER = 'You can call us on +1 555 0100 on weekdays from 9 to 5.';

export const ONE_OFFS = [
  'Do you have an office in Berlin?',
  'Is there a student discount?',
  'Which browsers do you test on?',
  'Can my intern see the audit trail?',
  'Who founded the company?',
  'Are you hiring engineers?',
  'Does the calendar sync with Outlook?',
  'What timezone are the scheduled emails sent in?',
  'Can I rename a workspace?',
  'Is my data stored in Europe?',
  'How long do you keep deleted files?',
  'Do you sponsor open source projects?',
  'Can I transfer ownership of a team?',
  'Is there a status page?',
  'What does the green badge mean?',
];

export type Row = InteractionRow;

export interface Conversation {
  message: string;
  response: string | null;
  outcome: string | null;
  sentiment: number | null;
  customerId?: string;
  interactionType?: string;
  metadata?: Record<string, unknown>;
}

const cycle = <T>(items: readonly T[], n: number): T[] => Array.from({ length: n }, (_, i) => items[i % items.length]!);

/** The 120 rows, in a seeded random order with timestamps spread over the day in that order. */
export function plantedDay(seed = 7): Row[] {
  const conversations: Conversation[] = [
    ...cycle(REFUND_QUESTIONS, 18).map((message, i) => ({
      message,
      response: UNSURE_REFUND_ANSWER,
      outcome: i % 3 === 0 ? 'escalated' : 'unresolved',
      sentiment: -0.5,
    })),
    ...cycle(REFUND_QUESTIONS, 2).map((message) => ({ message, response: REFUND_ANSWER, outcome: 'resolved', sentiment: 0.6 })),
    ...cycle(PASSWORD_QUESTIONS, 30).map((message, i) => ({
      message,
      response: i < 26 ? PASSWORD_ANSWER : PASSWORD_ANSWER_OTHER,
      outcome: 'resolved',
      sentiment: 0.7,
    })),
    ...cycle(INVOICE_QUESTIONS, 25).map((message) => ({ message, response: INVOICE_ANSWER, outcome: 'resolved', sentiment: 0.5 })),
    ...cycle(RATE_LIMIT_QUESTIONS, 15).map((message) => ({ message, response: RATE_LIMIT_ANSWER, outcome: 'resolved', sentiment: 0.3 })),
    ...cycle(PHONE_QUESTIONS, 15).map((message) => ({ message, response: PHONE_ANSWER, outcome: 'resolved', sentiment: 0.4 })),
    ...ONE_OFFS.map((message) => ({ message, response: 'Thanks for asking! Here is what we know.', outcome: null, sentiment: 0.1 })),
  ];
  // vip-1 owns five password conversations (resolved, so its sentiment is free to rise).
  const vip = conversations.filter((c) => c.response === PASSWORD_ANSWER).slice(0, 5);
  vip.forEach((c, i) => {
    c.customerId = 'vip-1';
    c.interactionType = i === 4 ? 'email' : 'chat';
    c.metadata = { channel: 'mobile' };
    c.sentiment = [-0.4, -0.1, 0.2, 0.5, 0.8][i]!;
  });
  return spreadOverDay(conversations, seed);
}

/** Shuffles the conversations and gives them increasing timestamps in the shuffled order. */
export function spreadOverDay(conversations: readonly Conversation[], seed: number): Row[] {
  const { random } = randomData(seed);
  const order = conversations.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const step = (DAY.to.getTime() - DAY.from.getTime()) / (conversations.length + 1);
  // vip-1's conversations take its time slots in planted order, so its sentiment trend is the planted one.
  const isVip = (index: number) => conversations[index]!.customerId === 'vip-1';
  const vipSlots = order.flatMap((index, position) => (isVip(index) ? [position] : []));
  const vipInPlantedOrder = conversations.flatMap((_, index) => (isVip(index) ? [index] : []));
  const slotOf = new Map(vipInPlantedOrder.map((index, k) => [index, vipSlots[k]!]));
  return order.map((index, position): Row => {
    const c = conversations[index]!;
    const slot = slotOf.get(index) ?? position;
    return {
      customerId: c.customerId ?? `c${String(index % 60).padStart(2, '0')}`,
      interactionType: c.interactionType ?? (index % 4 === 0 ? 'email' : 'chat'),
      message: c.message,
      response: c.response,
      outcome: c.outcome,
      sentiment: c.sentiment,
      metadata: c.metadata ?? {},
      timestamp: new Date(DAY.from.getTime() + step * (slot + 1)),
    };
  });
}
