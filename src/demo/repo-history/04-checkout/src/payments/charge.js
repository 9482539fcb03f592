import { paymentProvider } from './provider.js';

/** How long a charge may take before we stop waiting for it. */
export const PROVIDER_TIMEOUT_MS = 3000;

/** The provider did not answer within PROVIDER_TIMEOUT_MS; the charge may still go through. */
export class PaymentTimeoutError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'PaymentTimeoutError';
  }
}

/**
 * Charges an order through the payment provider and returns the charge id.
 * @param {{ orderId: number, email: string, amountCents: number, currency: string }} charge
 */
export function chargeCard(charge) {
  const result = paymentProvider.charge(charge);
  if (result.latencyMs > PROVIDER_TIMEOUT_MS) {
    throw new PaymentTimeoutError(`Payment provider timed out after ${result.latencyMs} ms charging order ${charge.orderId} for ${charge.email}`);
  }
  return result.id;
}
