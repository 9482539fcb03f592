const MAX_MESSAGE = 2000;
const MAX_PARTS = 13;

/**
 * The values a recorded error message holds for the expressions of the template literal that built
 * it: `Invalid quantity ${item.quantity} for ${item.sku}` and "Invalid quantity 1.5 for SKU-1001"
 * give ['1.5', 'SKU-1001']. null when the message is not one this template writes. Where two splits
 * fit (a value that itself contains the text after it) the shortest value first wins.
 */
export function messageValues(quasis: readonly string[], message: string): string[] | null {
  // Lazy groups between fixed parts can backtrack a lot on long text; real messages are short.
  if (message.length > MAX_MESSAGE || quasis.length > MAX_PARTS) return null;
  const pattern = quasis.map(escapeRegExp).join('([\\s\\S]*?)');
  const match = new RegExp(`^${pattern}$`).exec(message.trim());
  return match ? match.slice(1) : null;
}

/** A message part as the code most likely had it: 1.5 and 1042 as numbers, `undefined` and `null` as themselves. */
export function literalValue(text: string): unknown {
  if (/^-?(?:0|[1-9]\d*)(?:\.\d+)?$/.test(text)) return Number(text);
  if (text === 'undefined') return undefined;
  if (text === 'null') return null;
  if (text === 'true' || text === 'false') return text === 'true';
  return text;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
