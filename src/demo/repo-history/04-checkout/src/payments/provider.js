/**
 * The payment provider's client. The demo has no network: a charge takes longer the larger it is,
 * as the provider's fraud checks do.
 */
export const paymentProvider = {
  /**
   * @param {{ orderId: number, amountCents: number, currency: string }} charge
   * @returns {{ id: string, latencyMs: number }}
   */
  charge({ orderId, amountCents }) {
    return { id: `ch_${orderId}_${amountCents}`, latencyMs: 800 + Math.round(amountCents / 100) };
  },
};
