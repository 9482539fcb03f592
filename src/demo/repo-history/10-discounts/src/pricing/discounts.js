const COUPONS = {
  WINTER10: { percent: 10, minCents: 2000, expires: '2026-02-28' },
  WELCOME5: { percent: 5, minCents: 0, expires: '2026-12-31', firstOrderOnly: true },
  BULK15: { percent: 15, minCents: 20000, expires: '2026-06-30' },
};

/**
 * The discount on an order, in cents: the best of the customer's plan discount, the coupon and the
 * volume discount, capped at 30% of the order.
 * @param {{ totalCents: number, coupon?: string, items: { quantity: number }[], placedAt: string }} order
 * @param {{ plan: string, firstOrderAt?: string }} customer
 */
export function computeDiscount(order, customer) {
  let percent = 0;
  if (customer.plan === 'enterprise') {
    percent = 12;
  } else if (customer.plan === 'business') {
    percent = 8;
  } else if (customer.plan === 'pro') {
    if (order.totalCents > 10000) {
      percent = 5;
    } else {
      percent = 2;
    }
  }
  if (order.coupon) {
    const coupon = COUPONS[order.coupon];
    if (coupon && order.placedAt <= coupon.expires && order.totalCents >= coupon.minCents) {
      if (!coupon.firstOrderOnly || !customer.firstOrderAt || customer.firstOrderAt === order.placedAt) {
        if (coupon.percent > percent) percent = coupon.percent;
      }
    }
  }
  const units = order.items.reduce((sum, item) => sum + item.quantity, 0);
  if (units >= 50 && percent < 20) {
    percent = 20;
  } else if (units >= 20 && percent < 10) {
    percent = 10;
  } else if (units >= 10 && percent < 5) {
    percent = 5;
  }
  const discount = Math.round((order.totalCents * percent) / 100);
  return Math.min(discount, Math.round(order.totalCents * 0.3));
}
