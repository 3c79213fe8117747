export const PAYMENT_STATUSES = [
  'pending',
  'authorized',
  'captured',
  'declined',
  'failed',
  'voided',
  'partially_refunded',
  'refunded',
] as const;
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number];

export const HISTORY_STATUSES = ['active', 'finished', 'expired', 'archived'] as const;
export type HistoryStatus = (typeof HISTORY_STATUSES)[number];

/** `active` while more can happen to the payment, `finished` once nothing can. */
export function historyStatusFor(status: PaymentStatus): 'active' | 'finished' {
  switch (status) {
    case 'pending':
    case 'authorized':
    case 'captured':
    case 'partially_refunded':
      return 'active';
    case 'declined':
    case 'failed':
    case 'voided':
    case 'refunded':
      return 'finished';
  }
}

/** Money may still move for pending and authorised payments: those stay visible. */
export function canArchive(status: PaymentStatus): boolean {
  return status !== 'pending' && status !== 'authorized';
}

export const ARCHIVABLE_STATUSES: readonly PaymentStatus[] = PAYMENT_STATUSES.filter(canArchive);

/** The event type recorded when a payment reaches a status. */
export function eventTypeFor(status: PaymentStatus): string {
  switch (status) {
    case 'pending':
      return 'payment.pending';
    case 'partially_refunded':
    case 'refunded':
      return 'refund.succeeded';
    default:
      return `payment.${status}`;
  }
}
