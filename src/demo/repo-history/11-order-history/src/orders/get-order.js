import { db } from '../db.js';
import { NotFoundError } from '../errors.js';
import { formatOrderTotal } from './format.js';

/** GET /api/orders/:id — one order with its formatted total and its status history. */
export async function getOrder({ params }) {
  const order = await db.fetchOrder(Number(params.id));
  if (!order) throw new NotFoundError(`Order ${params.id} not found`);
  const total = formatOrderTotal(order);
  const history = await loadOrderHistory(order.id);
  return { status: 200, body: { ...order, total: total.text, history } };
}

/** Status changes of one order, oldest first. */
async function loadOrderHistory(orderId) {
  const events = await db.fetchOrderEvents();
  return events.filter((event) => event.orderId === orderId).sort((a, b) => a.at.localeCompare(b.at));
}
