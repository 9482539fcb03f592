import { db } from '../db.js';

/** GET /api/orders?status=&from=&to=&customer= — orders of a period, newest first. */
export async function listOrders({ query }) {
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
  const page = Math.max(1, Number(query.page ?? 1));
  const size = Math.min(100, Math.max(1, Number(query.size ?? 20)));
  selected.sort((a, b) => b.placedAt.localeCompare(a.placedAt) || b.id - a.id);
  return {
    status: 200,
    body: {
      orders: selected.slice((page - 1) * size, page * size).map(({ items, ...order }) => ({ ...order, lines: items.length })),
      total: selected.length,
    },
  };
}
