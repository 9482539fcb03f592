import { db } from '../db.js';
import { HttpError, NotFoundError } from '../errors.js';
import { chargeCard } from '../payments/charge.js';

/** POST /api/checkout { orderId } — charges a pending order's customer and marks the order paid. */
export async function createCheckout({ body }) {
  const order = await db.fetchOrder(Number(body.orderId));
  if (!order) throw new NotFoundError(`Order ${body.orderId} not found`);
  if (order.status !== 'pending') throw new HttpError(409, 'conflict', `Order ${order.id} is ${order.status}`);
  const customer = await db.fetchCustomer(order.customerId);
  const amountCents = order.totalCents;
  const chargeId = chargeCard({ orderId: order.id, email: customer.email, amountCents, currency: order.currency });
  await db.updateOrder(order.id, { status: 'paid', chargeId });
  return { status: 200, body: { orderId: order.id, chargeId, amountCents } };
}
