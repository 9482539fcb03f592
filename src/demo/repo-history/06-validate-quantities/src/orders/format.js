/**
 * Money formatting for orders. Amounts are kept in cents and formatted once, at the edge.
 */

const CURRENCY_SYMBOLS = { USD: '$', EUR: '€', GBP: '£' };

/**
 * An amount in cents as text, e.g. 123456 USD → "$1,234.56".
 * @param {number} cents
 * @param {string} currency ISO 4217 code
 */
export function formatMoney(cents, currency) {
  const symbol = CURRENCY_SYMBOLS[currency] ?? `${currency} `;
  const sign = cents < 0 ? '-' : '';
  const whole = Math.floor(Math.abs(cents) / 100).toLocaleString('en-US');
  const fraction = String(Math.abs(cents) % 100).padStart(2, '0');
  return `${sign}${symbol}${whole}.${fraction}`;
}

/**
 * The total of an order's line items, in cents and as text.
 * @param {{ id: number, currency: string, items: { sku: string, quantity: number, unitPriceCents: number }[] }} order
 */
export function formatOrderTotal(order) {
  let cents = 0;
  for (const item of order.items) {
    if (!Number.isInteger(item.quantity)) {
      throw new TypeError(`Invalid quantity ${item.quantity} for ${item.sku} in order ${order.id}`);
    }
    cents += item.quantity * item.unitPriceCents;
  }
  return { cents, text: formatMoney(cents, order.currency) };
}
