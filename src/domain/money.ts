/**
 * An amount with its currency, as people read it: `$857,712`, `€12,500`, `¥3,000,000`. Whole units:
 * revenue figures rank themes, cents add nothing to that. The currency is a setting (CURRENCY),
 * validated at start, so formatting cannot fail here.
 */
export function formatMoney(amount: number, currency: string): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 0 }).format(Math.round(amount));
}
