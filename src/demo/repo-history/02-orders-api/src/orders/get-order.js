import { db } from '../db.js';
import { NotFoundError } from '../errors.js';
import { formatOrderTotal } from './format.js';

/** GET /api/orders/:id — one order with its formatted total. */
export async function getOrder({ params }) {
  const order = await db.fetchOrder(Number(params.id));
  if (!order) throw new NotFoundError(`Order ${params.id} not found`);
  const total = formatOrderTotal(order);
  return { status: 200, body: { ...order, total: total.text } };
}
