import { db } from '../db.js';

/** GET /api/products — the catalogue, cheapest first. */
export async function listProducts() {
  const products = await db.fetchProducts();
  return { status: 200, body: products.sort((a, b) => a.priceCents - b.priceCents) };
}
