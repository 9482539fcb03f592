import { db } from '../db.js';
import { formatMoney } from '../orders/format.js';
import { toCsvRow } from './csv.js';

const COLUMNS = ['order', 'placed', 'customer', 'email', 'total', 'status', 'coupon'];

/** GET /api/reports/export?report=&status=&from=&to=&customer= — the orders of a period with their customers, as CSV. */
export async function exportReport({ query }) {
  const reportId = Number(query.report ?? Date.now() % 100000);
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
  const lines = [COLUMNS.join(',')];
  for (const [index, order] of selected.entries()) {
    const customer = await db.fetchCustomer(order.customerId);
    const row = {
      order: order.id,
      placed: order.placedAt,
      customer: customer.name,
      email: customer.email,
      total: formatMoney(order.totalCents, order.currency),
      status: order.status,
      ...(order.coupon ? { coupon: order.coupon } : {}),
    };
    lines.push(toCsvRow(reportId, COLUMNS, row, index + 1));
  }
  return { status: 200, contentType: 'text/csv', body: `${lines.join('\n')}\n` };
}
