import { db } from '../db.js';
import { NotFoundError } from '../errors.js';

/** GET /api/products/:id — one product. */
export async function getProduct({ params }) {
  const product = await db.fetchProduct(Number(params.id));
  if (!product) throw new NotFoundError(`Product ${params.id} not found`);
  return { status: 200, body: product };
}
