/**
 * The service's data, in memory: a stand-in for the database so that the demo runs anywhere.
 * Lookups are async, like a real driver's.
 */

const products = [
  { id: 1, sku: 'SKU-1001', name: 'Espresso beans, 1 kg', priceCents: 2490, soldByWeight: true },
  { id: 2, sku: 'SKU-1002', name: 'Pour-over kettle', priceCents: 5900, soldByWeight: false },
  { id: 3, sku: 'SKU-1003', name: 'Paper filters (100)', priceCents: 650, soldByWeight: false },
  { id: 4, sku: 'SKU-1004', name: 'Burr grinder', priceCents: 18900, soldByWeight: false },
];

const customers = [
  { id: 501, name: 'Ada Brewer', email: 'ada@example.com', plan: 'pro', firstOrderAt: '2025-03-02' },
  { id: 502, name: 'Ben Roast', email: 'ben@example.com', plan: 'free', firstOrderAt: '2025-11-20' },
  { id: 503, name: 'Cora Bean', email: 'cora@example.com', plan: 'enterprise', firstOrderAt: '2024-07-14' },
];

const orders = [
  { id: 1040, customerId: 501, status: 'paid', currency: 'USD', placedAt: '2025-12-01', totalCents: 6550, items: [{ sku: 'SKU-1002', quantity: 1, unitPriceCents: 5900 }, { sku: 'SKU-1003', quantity: 1, unitPriceCents: 650 }] },
  { id: 1041, customerId: 502, status: 'shipped', currency: 'USD', placedAt: '2025-12-03', totalCents: 18900, items: [{ sku: 'SKU-1004', quantity: 1, unitPriceCents: 18900 }] },
  { id: 1042, customerId: 503, status: 'paid', currency: 'EUR', placedAt: '2025-12-04', totalCents: 3735, coupon: 'WINTER10', items: [{ sku: 'SKU-1001', quantity: 1.5, unitPriceCents: 2490 }] },
  { id: 1043, customerId: 501, status: 'pending', currency: 'USD', placedAt: '2025-12-06', totalCents: 1300, items: [{ sku: 'SKU-1003', quantity: 2, unitPriceCents: 650 }] },
];

const orderEvents = [
  { orderId: 1040, at: '2025-12-01T10:00:00Z', status: 'paid' },
  { orderId: 1041, at: '2025-12-03T09:30:00Z', status: 'paid' },
  { orderId: 1041, at: '2025-12-04T16:10:00Z', status: 'shipped' },
  { orderId: 1042, at: '2025-12-04T11:45:00Z', status: 'paid' },
  { orderId: 1043, at: '2025-12-06T08:05:00Z', status: 'pending' },
];

const users = [
  { id: 9001, workspaceId: 17, email: 'ada@example.com', name: 'Ada Brewer' },
  { id: 9002, workspaceId: 17, email: 'Maria.Keller@example.org', name: 'Maria Keller' },
  { id: 9003, workspaceId: 23, email: 'cora@example.com', name: 'Cora Bean' },
];

// Magic-link tokens hold the email as the user typed it at sign-up.
const loginTokens = new Map([
  ['tok-ada', { workspaceId: 17, email: 'ada@example.com' }],
  ['tok-maria', { workspaceId: 17, email: 'Maria.Keller@example.org' }],
  ['tok-cora', { workspaceId: 23, email: 'cora@example.com' }],
]);

const copy = (value) => structuredClone(value);

/** The data access the handlers use; every method returns copies, never the stored objects. */
export const db = {
  async fetchProducts() {
    return copy(products);
  },
  async fetchProduct(id) {
    return copy(products.find((product) => product.id === id) ?? null);
  },
  async fetchOrders() {
    return copy(orders);
  },
  async fetchOrder(id) {
    return copy(orders.find((order) => order.id === id) ?? null);
  },
  async insertOrder(order) {
    const id = Math.max(...orders.map((existing) => existing.id)) + 1;
    orders.push({ ...copy(order), id });
    return id;
  },
  async updateOrder(id, changes) {
    const order = orders.find((existing) => existing.id === id);
    if (order) Object.assign(order, copy(changes));
  },
  async fetchOrderEvents() {
    return copy(orderEvents);
  },
  async fetchCustomer(id) {
    return copy(customers.find((customer) => customer.id === id) ?? null);
  },
  async fetchCustomers(ids) {
    const wanted = new Set(ids);
    return copy(customers.filter((customer) => wanted.has(customer.id)));
  },
  async fetchUsers(workspaceId) {
    return copy(users.filter((user) => user.workspaceId === workspaceId));
  },
  async fetchUser(id) {
    return copy(users.find((user) => user.id === id) ?? null);
  },
  async fetchLoginToken(token) {
    return copy(loginTokens.get(token) ?? null);
  },
};
