/**
 * Is a customer message asking for something the product does not do yet? Phrasing rules, each with
 * a weight that is the confidence it carries on its own; several rules firing combine as a noisy-OR.
 * Signs that the message reports something broken, or asks how to use what exists, scale the
 * confidence down: "I wish it didn't crash" is a bug report, "how do I export?" is a question.
 */

export interface FeatureRequestVerdict {
  isRequest: boolean;
  /** 0..1; isRequest is confidence ≥ 0.5. */
  confidence: number;
  /** Names of the phrasing rules that fired. */
  signals: string[];
  /** Names of the bug-report / how-to signs that lowered the confidence. */
  against: string[];
}

interface PhrasingRule {
  name: string;
  pattern: RegExp;
  weight: number;
}

const REQUEST_RULES: readonly PhrasingRule[] = [
  { name: 'feature request', pattern: /\bfeature (?:request|idea|suggestion)s?\b/, weight: 0.95 },
  {
    name: 'please add',
    pattern:
      /\bplease,? (?:add|support|implement|consider adding|include|build|provide|make it possible|bring back|give (?:us|me)|find a way)\b/,
    weight: 0.9,
  },
  {
    name: 'can you add',
    pattern:
      /\b(?:can|could|would|will) (?:you|u|y'all|your team) (?:please )?(?:add|build|implement|introduce|include|support|provide|offer|create|make it possible)\b/,
    weight: 0.85,
  },
  { name: 'add support for', pattern: /\badd(?:ing)? (?:support|an option|a setting|the ability) (?:for|to)\b/, weight: 0.85 },
  {
    name: 'it would be great',
    pattern: /\b(?:would|'d|will) be (?:great|nice|awesome|amazing|helpful|useful|cool|fantastic|ideal|good) (?:if|to|for|when)\b/,
    weight: 0.85,
  },
  { name: 'nice to have', pattern: /\bnice to have\b/, weight: 0.8 },
  { name: 'would love', pattern: /\b(?:would|'d) (?:love|like to see|really like|like to suggest)\b/, weight: 0.8 },
  { name: 'any plans to', pattern: /\b(?:any|are there(?: any)?) plans? (?:to|for|on)\b|\bon (?:the|your) roadmap\b/, weight: 0.8 },
  { name: 'i wish', pattern: /\b(?:i|we) (?:really )?wish\b/, weight: 0.75 },
  {
    name: 'would it be possible to add',
    pattern: /\bwould it be possible (?:to|for you to) (?:add|have|get|support|build)\b/,
    weight: 0.75,
  },
  {
    name: 'we need the ability',
    pattern: /\b(?:we|i) (?:really )?need (?:a way|the ability|an option|a setting|support for|to be able)\b/,
    weight: 0.7,
  },
  {
    name: 'missing feature',
    pattern: /\b(?:missing|lacks?|lacking) (?:a |an |the )?(?:feature|option|ability|setting|integration)\b/,
    weight: 0.7,
  },
  {
    name: 'should support',
    pattern: /\b(?:should|ought to) (?:support|offer|allow|let (?:me|us|users)|have (?:the|an?) (?:ability|option|way|setting))\b/,
    weight: 0.65,
  },
  // A suggestion addressed to the makers: "you should make", "they need to offer", "it needs to be
  // managed better"; a fix asked for the same way ("they need to fix") is a bug report.
  {
    name: 'they should',
    pattern:
      /\b(?:you|they|it|we|app|there) (?:really |still |also )?(?:should|needs? to|ought to) (?!fix\b|get (?:it|this|that) fixed\b|have been\b)(?:make|have|add|get|let|allow|include|offer|give|remove|be|support|show|sync|keep)\b/,
    weight: 0.6,
  },
  { name: 'give us the ability', pattern: /\bgive (?:us|me|users) (?:the ability|an option|a way|the option)\b/, weight: 0.75 },
  { name: 'let users', pattern: /\b(?:allow|let|enable) (?:me|us|users|customers|admins|people|teams) to\b/, weight: 0.6 },
  { name: 'suggestion', pattern: /\b(?:suggestion|enhancement|improvement idea)\b/, weight: 0.6 },
  // Needs phrasing: "I need bulk editing", "let me edit several at once", "bulk edit please". Help,
  // refunds, "I need to <do a task>" and "let me know" are support, not requests ("I need to be able
  // to" is the rule above). A need that describes a use ("when I need an idea") or asks a service for
  // something ("i need a table for 3", "i need 200 dollars transferred", CLINC150 in
  // bench/request-detection.ts) is no request either: the need must open its sentence and name a
  // capability: an -ing activity that ends its clause ("bulk editing of my catalog") or a feature noun
  // ("CSV export of orders", "an option to").
  {
    name: 'i need',
    pattern:
      /(?:^|[.!?;:]\s*)(?:i|we) (?:really |also |just |still |badly |urgently )?need (?!(?:help|assistance|support|you|your|someone|a refund|my|to|an? idea)\b)(?:(?:an?|the|some|more|better) )?(?:[a-z-]+ ){0,2}(?:[a-z]+ing(?= (?:of|for|on|in|across|so|because|please)\b|\s*(?:[.!?,;]|$))|(?:way|option|ability|feature|setting|button|mode|integration|tool|filter|view|shortcut|export|import|report|dashboard|api|template|notification|sync|search|sso|2fa|mfa|webhook|plugin|extension|widget|theme)s?\b)/,
    weight: 0.6,
  },
  { name: 'let me', pattern: /\blet (?:me|us) (?!know\b|down\b|in\b)[a-z]+/, weight: 0.6 },
  // "Bulk edit please", "dark mode please": a short noun phrase asked for. A task asked of someone
  // ("change language please", "help me set a timer please", "fix it please") opens with its verb.
  {
    name: 'something please',
    pattern:
      /(?:^|[.!?;,]\s*)(?!(?:fix|help|respond|reply|refund|call|contact|hurry|stop|thanks|thank|it|this|that|please|set|find|check|change|tell|show|give|get|book|play|turn|cancel|transfer|send|remind|make|look|do|search|read|text|order|pay|reset|update|schedule|what|when|where|who|how|why|which|is|are|can|could|will|would|does|i|you|we)\b)(?:[a-z'-]+ ){0,3}[a-z'-]{3,},? please\s*(?:[.!,;]|$)/,
    weight: 0.6,
  },
  // A ticket or issue title that names the capability it wants: "Add dark mode", "Support TLS 1.3",
  // "[Umbrella] Allow overriding submissions". A fix ("Fix typo", "Remove stale templates") opens with
  // another verb and is no request; "Support never answered" and "Offer code is rejected" use the word
  // as a noun.
  {
    name: 'asks to add',
    pattern:
      /^(?:\[[^\]]*\]\s*)*(?:please )?(?:add|support|allow|provide|enable|introduce|expose|implement|incorporate|integrate|offer)\b(?! (?:me|us|them|assistance|help|info|information|details|is|was|are|were|has|have|had|told|said|never|team|staff|agents?|tickets?|replied|answered|did|does|won't|didn't|doesn't|code)\b)/,
    weight: 0.6,
  },
  // A how-to as often as a request, so it needs company to reach 0.5 with any doubt against it.
  { name: 'is there a way to', pattern: /\bis there (?:a|any) way (?:to|for)\b/, weight: 0.55 },
];

const AGAINST_RULES: readonly PhrasingRule[] = [
  {
    name: 'reports a malfunction',
    pattern: /\b(?:crash(?:es|ed|ing)?|broken|bug(?:gy)?|regression|stopped working|no longer works?|not working|freez(?:es|ing)|hangs)\b/,
    weight: 0.6,
  },
  {
    name: 'reports a failure',
    pattern:
      /\b(?:does ?n[o']?t|did ?n[o']?t|is ?n[o']?t|wo ?n[o']?t|would ?n[o']?t|can ?n[o']?t|cannot) (?:work|load|open|save|start|connect|log ?in|sign ?in|sync|send|upload|let (?:me|us))\b/,
    weight: 0.6,
  },
  {
    name: 'reports an error',
    pattern:
      /\b(?:get(?:ting)?|got|see(?:ing)?|throws?|threw|returns?|returned|shows?|showing) (?:an? |the |this )?(?:\w+ )?(?:error|exception|500|404)\b/,
    weight: 0.6,
  },
  { name: 'asks for a fix', pattern: /\b(?:please |pls |plz )?fix (?:this|it|that|the)\b/, weight: 0.5 },
  // "Add apples to my shopping list", "please add my colleague to our team": an item put into the
  // customer's own list or account, not a change to the product.
  {
    name: 'updates their own list',
    pattern:
      /\b(?:add|put|remove|take)\b(?:(?!\b(?:feature|option|support|button|ability|way|setting)s?\b)[^.!?])*\b(?:to|on|onto|from|off) (?:my|our) (?:[a-z-]+ ){0,2}(?:list|account|cart|order|team|calendar|workspace|playlist)\b|\b(?:on|in|to) (?:my|our) (?:[a-z-]+ ){0,2}(?:list|cart|playlist|calendar)\b[^.!]*\b(?:add|put|remove)\b/,
    weight: 0.9,
  },
  {
    name: 'asks how to',
    pattern: /\b(?:how (?:do|can|should|would) (?:i|we|you)|where (?:is|are|do i|can i) (?:find|the)|what does)\b/,
    weight: 0.5,
  },
];

export function detectFeatureRequest(message: string): FeatureRequestVerdict {
  const text = message.toLowerCase().replace(/[‘’`]/g, "'").replace(/\s+/g, ' ');
  const signals = REQUEST_RULES.filter((rule) => rule.pattern.test(text));
  const against = AGAINST_RULES.filter((rule) => rule.pattern.test(text));
  const support = 1 - signals.reduce((missing, rule) => missing * (1 - rule.weight), 1);
  const doubt = against.reduce((kept, rule) => kept * (1 - rule.weight), 1);
  const confidence = Math.round(support * doubt * 100) / 100;
  return { isRequest: confidence >= 0.5, confidence, signals: signals.map((rule) => rule.name), against: against.map((rule) => rule.name) };
}
