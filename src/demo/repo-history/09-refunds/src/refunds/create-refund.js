import { db } from '../db.js';
import { HttpError, NotFoundError } from '../errors.js';

/** Refunds are self-service for this many days after an order was placed. */
const REFUND_WINDOW_DAYS = 30;

/** POST /api/refunds { orderId, reason } — refunds a paid order placed within the refund window. */
export async function createRefund({ body }) {
  const order = await db.fetchOrder(Number(body.orderId));
  if (!order) throw new NotFoundError(`Order ${body.orderId} not found`);
  if (order.status !== 'paid' && order.status !== 'shipped') {
    throw new HttpError(409, 'conflict', `Order ${order.id} is ${order.status} and cannot be refunded`);
  }
  const ageDays = (Date.now() - Date.parse(order.placedAt)) / 86_400_000;
  if (ageDays > REFUND_WINDOW_DAYS) {
    throw new HttpError(422, 'refund_window_closed', `Orders can be refunded within ${REFUND_WINDOW_DAYS} days; contact billing`);
  }
  await db.updateOrder(order.id, { status: 'refunded', refundReason: String(body.reason ?? '') });
  return { status: 200, body: { orderId: order.id, refundedCents: order.totalCents } };
}
