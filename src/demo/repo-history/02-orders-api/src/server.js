import { pathToFileURL } from 'node:url';
import { createApp } from './router.js';
import { health } from './health.js';
import { createOrder } from './orders/create-order.js';
import { getOrder } from './orders/get-order.js';
import { listOrders } from './orders/list-orders.js';
import { getProduct } from './products/get-product.js';
import { listProducts } from './products/list-products.js';

/**
 * The shop's HTTP API: every route and its handler.
 * @param {{ logError?: (entry: object) => void }} [options]
 */
export function buildApp(options = {}) {
  const app = createApp(options);
  app.get('/api/health', health);
  app.get('/api/products', listProducts);
  app.get('/api/products/:id', getProduct);
  app.get('/api/orders', listOrders);
  app.get('/api/orders/:id', getOrder);
  app.post('/api/orders', createOrder);
  return app;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const port = Number(process.env.PORT ?? 3000);
  buildApp().listen(port);
  console.log(`demo-shop listening on http://127.0.0.1:${port}`);
}
