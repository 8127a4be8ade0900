/**
 * WhatsApp only lets a business send free-form messages within 24 hours of the customer's
 * last message; after that, only approved templates are delivered (error 131047 otherwise).
 */
export const CUSTOMER_SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

export function isInsideCustomerServiceWindow(lastInboundAt: Date | null | undefined, now: Date = new Date()): boolean {
  if (!lastInboundAt || Number.isNaN(lastInboundAt.getTime())) return false;
  return now.getTime() - lastInboundAt.getTime() < CUSTOMER_SERVICE_WINDOW_MS;
}

/** When free-form replies stop being accepted; null if the customer never wrote. */
export function customerServiceWindowClosesAt(lastInboundAt: Date | null | undefined): Date | null {
  if (!lastInboundAt || Number.isNaN(lastInboundAt.getTime())) return null;
  return new Date(lastInboundAt.getTime() + CUSTOMER_SERVICE_WINDOW_MS);
}
