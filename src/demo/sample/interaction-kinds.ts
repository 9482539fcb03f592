import { PLANTED_FEATURE_THEMES, PLANTED_KNOWLEDGE_GAP, PLANTED_WELL_ANSWERED, type Outcome, type Plan } from '../planted.ts';

/**
 * What customers write about, and what the assistant answers. The planted kinds take their shares,
 * outcomes and plans from planted.ts; the everyday kinds share the rest of the interactions.
 * Templates hold {slots} filled per message (fill-slots.ts), so no two rows need be the same text.
 */
export interface InteractionKind {
  key: string;
  /** Share of all interactions for planted kinds; for everyday kinds, share of what the planted ones leave. */
  share: number;
  planted: boolean;
  /** interaction_type values, used in turn (row k of the kind gets types[k % length]). */
  types: readonly string[];
  messages: readonly string[];
  responses: readonly string[];
  outcomes: Partial<Record<Outcome, number>>;
  meanSentiment: number;
  /** Plans of the askers; anyone when absent. */
  plans?: Partial<Record<Plan, number>>;
}

const FEATURE_RESPONSES = [
  "Thanks for the suggestion! I've shared it with our product team.",
  "That's a great idea. I've added your vote to the request so the product team can prioritize it.",
  "Thanks, I've passed this on to our product managers. We can't promise a date yet.",
];
const FEATURE_OUTCOMES = { resolved: 0.6, unresolved: 0.4 };

const FEATURE_MESSAGES: Record<string, readonly string[]> = {
  'csv-export': [
    'Could you add an option to export my orders to CSV?',
    'It would be great if we could export reports as a CSV file.',
    'Please add a CSV export for our invoices.',
    'Any plans to support exporting customer lists to CSV?',
    'I wish I could export my order history as CSV instead of PDF.',
    'We need the ability to export data to CSV for our weekly reporting.',
    'Would love a CSV export of the sales report so we can open it in Excel.',
    'Feature request: CSV export for the orders table.',
  ],
  'sso-saml': [
    'Please add SAML SSO, our IT team requires single sign-on for every vendor.',
    'Any plans to support SSO with Okta over SAML?',
    'We need support for SAML SSO before we can roll this out to {seats} employees.',
    'Would love to see SSO login through SAML.',
    'Could you add SAML SSO? Our security team requires it.',
    'Feature request: enforce SAML SSO for all users in our workspace.',
  ],
  'dark-mode': [
    'Please add a dark mode, the white dashboard is harsh at night.',
    'Would love a dark theme for the dashboard.',
    'Any plans for dark mode? My eyes would thank you.',
    'It would be nice to have a dark mode in the mobile app.',
    'Could you add dark mode to the web app?',
    'I wish the app had a dark mode setting.',
  ],
};

const featureKinds: InteractionKind[] = PLANTED_FEATURE_THEMES.map((theme) => ({
  key: theme.key,
  share: theme.share,
  planted: true,
  types: ['feedback', 'support', 'feedback', 'support', 'feedback'],
  messages: FEATURE_MESSAGES[theme.key]!,
  responses: FEATURE_RESPONSES,
  outcomes: FEATURE_OUTCOMES,
  meanSentiment: 0.1,
  plans: theme.plans,
}));

const knowledgeGap: InteractionKind = {
  key: PLANTED_KNOWLEDGE_GAP.key,
  share: PLANTED_KNOWLEDGE_GAP.share,
  planted: true,
  types: [PLANTED_KNOWLEDGE_GAP.interactionType],
  messages: [
    'Can I get a refund for my annual plan if I cancel after {n} months?',
    'We paid for the yearly plan in {month}. How do refunds work if we downgrade now?',
    'Is the annual subscription refundable? We moved to another tool.',
    'What is your refund policy for annual plans cancelled mid-year?',
    'We were charged ${amount} for the annual renewal by mistake, can we get a prorated refund?',
  ],
  responses: [
    "I'm not sure how refunds work for annual plans. Let me escalate this to our billing team.",
    "I don't know whether annual plans can be refunded mid-term, so I've passed your question to a specialist.",
    "I'm not sure about prorated refunds on yearly subscriptions. I'll escalate this to billing and they will email you.",
    "Sorry, I don't have information about refunds for annual plans. A human agent will follow up.",
  ],
  outcomes: PLANTED_KNOWLEDGE_GAP.outcomes,
  meanSentiment: PLANTED_KNOWLEDGE_GAP.meanSentiment,
};

const wellAnswered: InteractionKind = {
  key: PLANTED_WELL_ANSWERED.key,
  share: PLANTED_WELL_ANSWERED.share,
  planted: true,
  types: [PLANTED_WELL_ANSWERED.interactionType],
  messages: [
    'How do I reset my password?',
    "I forgot my password and can't sign in.",
    'The password reset link expired, what now?',
    'How can I change my password? I think it leaked.',
  ],
  responses: [
    'On the sign-in page, click "Forgot password" and enter your work email. The reset link arrives within 5 minutes and stays valid for 1 hour; check your spam folder if you don\'t see it.',
    'Click "Forgot password" on the sign-in page and enter your email; we send a reset link that is valid for 1 hour. If it expired, request a new one the same way.',
    'You can reset it yourself: sign-in page → "Forgot password" → enter your work email → open the link we send (valid for 1 hour) and choose a new password.',
  ],
  outcomes: PLANTED_WELL_ANSWERED.outcomes,
  meanSentiment: PLANTED_WELL_ANSWERED.meanSentiment,
};

const everyday = (key: string, share: number, types: string[], messages: string[], responses: string[], outcomes: Partial<Record<Outcome, number>>, meanSentiment: number): InteractionKind => ({
  key,
  share,
  planted: false,
  types,
  messages,
  responses,
  outcomes,
  meanSentiment,
});

const EVERYDAY_KINDS: InteractionKind[] = [
  everyday('order-status', 0.22, ['support'], [
    'Where is my order #{order}? It was supposed to arrive on {date}.',
    'Has order {order} shipped yet?',
    'My order {order} still says pending, is that normal?',
  ], [
    'Order {order} shipped on {date}; the tracking link is in your confirmation email.',
    'Order {order} is packed and leaves our warehouse today. You will get a tracking email.',
  ], { resolved: 0.85, unresolved: 0.08, escalated: 0.05, abandoned: 0.02 }, 0.3),
  everyday('shipping-address', 0.08, ['support'], [
    'I need to change the shipping address on order {order}.',
    'Can you ship order {order} to my office instead?',
  ], [
    "I've updated the address on order {order}. The new address is on the order page.",
    'Order {order} has already shipped, so the address cannot change; the carrier can redirect it from the tracking page.',
  ], { resolved: 0.8, unresolved: 0.12, escalated: 0.08 }, 0.15),
  everyday('invoice-copy', 0.1, ['billing'], [
    'Can you send me the invoice for {month}?',
    'Where do I find our invoices? Finance needs the one from {month}.',
  ], [
    "I've emailed the {month} invoice to your billing contact. All invoices are under Settings → Billing → Invoices.",
  ], { resolved: 0.92, unresolved: 0.05, abandoned: 0.03 }, 0.35),
  everyday('update-card', 0.06, ['billing'], ['How do I update the credit card on file?', 'Our card expired, how do I change it?'], [
    'Go to Settings → Billing → Payment method and click "Replace card". The next charge uses the new card.',
  ], { resolved: 0.9, unresolved: 0.06, abandoned: 0.04 }, 0.3),
  everyday('duplicate-charge', 0.05, ['billing'], [
    'I was charged twice this month, can I get a refund for the duplicate charge?',
    'There are two charges of ${amount} on my card for {month}.',
  ], [
    "I've refunded the duplicate charge of ${amount}; it appears on your statement within 5–10 business days.",
  ], { resolved: 0.88, escalated: 0.07, unresolved: 0.05 }, 0.1),
  everyday('coupon-error', 0.05, ['bug_report'], [
    'Checkout shows an error when I apply coupon {coupon}.',
    'The coupon {coupon} is rejected at checkout although it has not expired.',
  ], [
    "Thanks for reporting this. I've passed it to our engineers together with your order details.",
    'Sorry about that! I applied the {coupon} discount to your order manually.',
  ], { escalated: 0.55, resolved: 0.35, unresolved: 0.1 }, -0.2),
  everyday('slow-export', 0.03, ['bug_report'], [
    'The report export takes forever and sometimes times out.',
    'Exporting the orders report for {month} took over a minute today.',
  ], [
    "Sorry it's slow. Large periods take a while to export; I've told the engineering team.",
    'Try exporting one week at a time for now. I have reported the slowness to engineering.',
  ], { escalated: 0.45, unresolved: 0.35, resolved: 0.2 }, -0.35),
  everyday('invite-teammate', 0.09, ['account'], ['How do I invite a teammate to my workspace?', 'Can I add {n} colleagues to our account?'], [
    'Go to Settings → Team → Invite, enter their email addresses and pick a role. They get an invitation link.',
  ], { resolved: 0.93, unresolved: 0.05, abandoned: 0.02 }, 0.45),
  everyday('praise', 0.1, ['feedback'], [
    'Love the new product search, thanks!',
    'Checkout is so much faster than before. Nice work, team.',
    'Your support is excellent, thank you for the quick answer yesterday.',
  ], ['Thank you, that means a lot to us!', "Thanks for the kind words, I'll pass them on to the team."], { resolved: 1 }, 0.8),
  everyday('api-key', 0.08, ['onboarding'], ['How do I get an API key for the orders API?', 'Where is the API documentation for creating orders?'], [
    'Create a key under Settings → Developers → API keys. The orders endpoints are documented at /docs/api#orders.',
  ], { resolved: 0.9, unresolved: 0.07, abandoned: 0.03 }, 0.4),
  everyday('export-howto', 0.06, ['support'], ['How do I export my orders for last month?', 'Where can I download the orders report?'], [
    'Go to Reports → Export, pick the period and click Download; the report arrives as a PDF.',
  ], { resolved: 0.9, unresolved: 0.1 }, 0.3),
  everyday('cancel-monthly', 0.04, ['billing'], ['How do I cancel my monthly subscription?', 'Please cancel our monthly plan at the end of {month}.'], [
    'You can cancel any time under Settings → Billing → Cancel plan; the monthly plan runs until the end of the paid month.',
  ], { resolved: 0.8, abandoned: 0.12, unresolved: 0.08 }, -0.05),
  everyday('human-agent', 0.04, ['support'], ['Can I talk to a human?', 'I want to speak to a real person about order {order}.'], [
    "Of course. I've asked a member of the team to take over this conversation.",
  ], { escalated: 0.9, abandoned: 0.1 }, -0.1),
];

/** Every kind: the planted ones first, in planted.ts order. */
export const INTERACTION_KINDS: readonly InteractionKind[] = [...featureKinds, knowledgeGap, wellAnswered, ...EVERYDAY_KINDS];
