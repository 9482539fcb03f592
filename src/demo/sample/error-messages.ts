import type { SampleRandom } from './sample-random.ts';

/**
 * The variable parts of the planted errors' messages (planted.ts has their templates and stacks),
 * and the one-off noise errors that must stay below the bug-report threshold.
 */

const FIRST_NAMES = ['maria', 'jonas', 'aiko', 'liam', 'fatima', 'noah', 'elena', 'omar', 'sofia', 'lucas', 'priya', 'mateo', 'chloe', 'ivan', 'zoe'];
const LAST_NAMES = ['keller', 'novak', 'tanaka', 'okafor', 'haddad', 'silva', 'berg', 'rossi', 'kim', 'dubois', 'nguyen', 'schmidt'];
const DOMAINS = ['example.com', 'example.org', 'shop.example', 'mail.example.net'];

function email(random: SampleRandom): string {
  return `${random.pick(FIRST_NAMES)}.${random.pick(LAST_NAMES)}@${random.pick(DOMAINS)}`;
}

/** Messages of each planted group, by its key in planted.ts. */
export const PLANTED_MESSAGE_MAKERS: Record<string, (random: SampleRandom) => string> = {
  // Goods sold by weight carry fractional quantities, which the validation commit rejects.
  'fractional-quantity': (random) =>
    `Invalid quantity ${random.pick(['0.5', '0.75', '1.5', '2.5', '0.25', '1.25', '3.5'])} for SKU-${random.pick([1001, 1005, 1006, 1011])} in order ${random.int(10000, 99999)}`,
  'payment-timeout': (random) => `Payment provider timed out after ${random.int(3001, 9500)} ms charging order ${random.int(10000, 99999)} for ${email(random)}`,
  'user-record-missing': (random) => `User record missing for ${email(random)} in workspace ${random.int(1, 400)}`,
  'csv-column-mismatch': (random) => `Column count mismatch in report ${random.int(10000, 99999)}: expected 7 fields, got 6 (row ${random.int(1, 5000)})`,
};

export interface NoiseError {
  errorType: string;
  severity: 'error' | 'warning';
  endpoint: string | null;
  /** Occurrences over the sample, at most NOISE_ERROR_MAX_OCCURRENCES. */
  count: number;
  message: (random: SampleRandom) => string;
  stack: readonly string[];
}

const NODE_NET = ['    at TLSSocket.socketOnEnd (node:_http_client:524:23)', '    at TLSSocket.emit (node:events:531:35)', '    at endReadableNT (node:internal/streams/readable:1696:12)'];
const NODE_TIMERS = ['    at listOnTimeout (node:internal/timers:581:17)', '    at process.processTimers (node:internal/timers:519:7)'];
const ROUTER = ['    at async Object.handle (/srv/app/src/router.js:19:14)', '    at async Server.<anonymous> (/srv/app/src/router.js:32:24)'];

export const NOISE_ERRORS: readonly NoiseError[] = [
  { errorType: 'Error', severity: 'error', endpoint: 'GET /api/products', count: 3, message: () => 'socket hang up while calling the inventory service', stack: NODE_NET },
  { errorType: 'AbortError', severity: 'warning', endpoint: 'GET /api/search', count: 2, message: (r) => `Request aborted by the client after ${r.int(20000, 30000)} ms`, stack: NODE_TIMERS },
  { errorType: 'SyntaxError', severity: 'warning', endpoint: 'POST /api/orders', count: 4, message: (r) => `Unexpected token } in JSON at position ${r.int(20, 400)}`, stack: ['    at JSON.parse (<anonymous>)', '    at Server.<anonymous> (/srv/app/src/router.js:36:26)'] },
  { errorType: 'Error', severity: 'error', endpoint: 'GET /api/orders', count: 3, message: (r) => `connect ETIMEDOUT 10.0.4.${r.int(2, 250)}:5432`, stack: ['    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1607:16)'] },
  { errorType: 'Error', severity: 'warning', endpoint: null, count: 2, message: (r) => `Mail provider rejected the receipt for bounce+${r.int(1000, 9999)}@example.com: mailbox full`, stack: NODE_NET },
  { errorType: 'Error', severity: 'error', endpoint: null, count: 3, message: (r) => `Webhook delivery to https://hooks.example.net/shop/${r.int(100, 999)} failed with status 502`, stack: NODE_NET },
  { errorType: 'Error', severity: 'warning', endpoint: 'GET /api/orders', count: 4, message: (r) => `Slow query: orders scan took ${r.int(2000, 4000)} ms`, stack: ['    at Object.fetchOrders (/srv/app/src/db.js:58:5)', ...ROUTER] },
  { errorType: 'Error', severity: 'warning', endpoint: null, count: 1, message: () => 'Session store unavailable, falling back to memory', stack: NODE_TIMERS },
  { errorType: 'Error', severity: 'error', endpoint: 'POST /api/checkout', count: 2, message: () => 'Client network socket disconnected before secure TLS connection was established', stack: ['    at TLSSocket.onConnectEnd (node:_tls_wrap:1727:19)', '    at TLSSocket.emit (node:events:531:35)'] },
  { errorType: 'RangeError', severity: 'error', endpoint: 'POST /api/orders', count: 1, message: (r) => `Out of range value ${2147483647 + r.int(1, 1000)} for column quantity`, stack: ['    at Object.insertOrder (/srv/app/src/db.js:65:12)', ...ROUTER] },
  { errorType: 'Error', severity: 'error', endpoint: 'GET /api/users/me', count: 2, message: () => 'Unhandled promise rejection: The operation was aborted', stack: NODE_TIMERS },
  { errorType: 'Error', severity: 'warning', endpoint: null, count: 1, message: (r) => `Disk usage at ${r.int(90, 97)}% on /var/log`, stack: [] },
  { errorType: 'Error', severity: 'error', endpoint: 'POST /api/refunds', count: 3, message: (r) => `Invalid signature on provider webhook (key id ${r.int(1, 9)})`, stack: ['    at verifySignature (/srv/app/node_modules/provider-sdk/lib/webhooks.js:88:13)', ...ROUTER] },
  { errorType: 'TypeError', severity: 'error', endpoint: 'GET /api/search', count: 2, message: () => "Cannot read properties of undefined (reading 'toLowerCase')", stack: ['    at rankProducts (/srv/app/src/products/search.js:7:31)', '    at search (/srv/app/src/products/search.js:22:31)', ...ROUTER] },
  { errorType: 'Error', severity: 'error', endpoint: 'POST /api/auth/login', count: 1, message: () => 'Too many open files, cannot accept connection', stack: ['    at TCP.onconnection (node:net:2159:24)'] },
  { errorType: 'Error', severity: 'warning', endpoint: null, count: 2, message: (r) => `Cache eviction storm: ${r.int(300, 900)} keys expired within one second`, stack: NODE_TIMERS },
];
