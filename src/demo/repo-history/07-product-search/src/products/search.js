import { db } from '../db.js';

export function rankProducts(products, query) {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const scored = [];
  for (const product of products) {
    const name = product.name.toLowerCase();
    let score = 0;
    for (const word of words) {
      if (name.startsWith(word)) score += 3;
      else if (name.includes(` ${word}`)) score += 2;
      else if (name.includes(word)) score += 1;
    }
    if (score > 0) scored.push({ product, score });
  }
  return scored.sort((a, b) => b.score - a.score || a.product.priceCents - b.product.priceCents).map(({ product }) => product);
}

/** GET /api/search?q= — products whose names match the query, best match first. */
export async function search({ query }) {
  const products = await db.fetchProducts();
  return { status: 200, body: rankProducts(products, String(query.q ?? '')) };
}
