import { db } from '../db.js';
import { HttpError } from '../errors.js';

/** POST /api/orders — a pending order for a customer, priced from the catalogue. */
export async function createOrder({ body }) {
  if (!Array.isArray(body.items) || body.items.length === 0) {
    throw new HttpError(400, 'bad_request', 'An order needs at least one item');
  }
  const catalogue = await db.fetchProducts();
  const items = body.items.map(({ sku, quantity }) => {
    const product = catalogue.find((candidate) => candidate.sku === sku);
    if (!product) throw new HttpError(400, 'bad_request', `Unknown SKU ${sku}`);
    return { sku, quantity, unitPriceCents: product.priceCents };
  });
  const totalCents = items.reduce((sum, item) => sum + Math.round(item.quantity * item.unitPriceCents), 0);
  const order = { customerId: body.customerId, status: 'pending', currency: body.currency ?? 'USD', placedAt: new Date().toISOString().slice(0, 10), totalCents, items };
  const id = await db.insertOrder(order);
  return { status: 201, body: { id, totalCents } };
}
