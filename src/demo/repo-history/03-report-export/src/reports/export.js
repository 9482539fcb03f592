import { db } from '../db.js';
import { formatMoney } from '../orders/format.js';

const HEADER = 'order,placed,customer,email,total,status';

/** GET /api/reports/export?status=&from=&to=&customer= — the orders of a period with their customers, as CSV. */
export async function exportReport({ query }) {
  const orders = await db.fetchOrders();
  const selected = orders.filter((order) => {
    if (query.status && order.status !== query.status) return false;
    if (query.customer && order.customerId !== Number(query.customer)) return false;
    if (query.from && order.placedAt < query.from) return false;
    if (query.to && order.placedAt >= query.to) return false;
    if (query.currency && order.currency !== query.currency.toUpperCase()) return false;
    if (query.minTotal && order.totalCents < Number(query.minTotal) * 100) return false;
    return true;
  });
  const lines = [HEADER];
  for (const order of selected) {
    const customer = await db.fetchCustomer(order.customerId);
    lines.push([order.id, order.placedAt, customer.name, customer.email, formatMoney(order.totalCents, order.currency), order.status].join(','));
  }
  return { status: 200, contentType: 'text/csv', body: `${lines.join('\n')}\n` };
}
