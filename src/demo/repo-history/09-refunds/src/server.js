import { pathToFileURL } from 'node:url';
import { createApp } from './router.js';
import { health } from './health.js';
import { login } from './auth/login.js';
import { createCheckout } from './checkout/create-checkout.js';
import { createOrder } from './orders/create-order.js';
import { getOrder } from './orders/get-order.js';
import { listOrders } from './orders/list-orders.js';
import { getProduct } from './products/get-product.js';
import { listProducts } from './products/list-products.js';
import { search } from './products/search.js';
import { createRefund } from './refunds/create-refund.js';
import { exportReport } from './reports/export.js';
import { getCurrentUser } from './users/me.js';

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
  app.get('/api/reports/export', exportReport);
  app.post('/api/checkout', createCheckout);
  app.post('/api/auth/login', login);
  app.get('/api/users/me', getCurrentUser);
  app.get('/api/search', search);
  app.post('/api/refunds', createRefund);
  return app;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const port = Number(process.env.PORT ?? 3000);
  buildApp().listen(port);
  console.log(`demo-shop listening on http://127.0.0.1:${port}`);
}
