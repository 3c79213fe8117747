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

/** A bank call that changes an authorised payment; at most one runs at a time per payment. */
export type BankOperation = 'capture' | 'void' | 'expire';

export type PaymentAction = 'capture' | 'void' | 'expire' | 'refund';

/** The one table of which action each status allows. */
const ALLOWED_FROM: Readonly<Record<PaymentAction, readonly PaymentStatus[]>> = {
  capture: ['authorized'],
  void: ['authorized'],
  expire: ['authorized'],
  refund: ['captured', 'partially_refunded'],
};

export function canApply(action: PaymentAction, status: PaymentStatus): boolean {
  return ALLOWED_FROM[action].includes(status);
}

export function allowedFrom(action: PaymentAction): readonly PaymentStatus[] {
  return ALLOWED_FROM[action];
}

const VERBS: Record<PaymentAction, string> = { capture: 'captured', void: 'voided', expire: 'expired', refund: 'refunded' };

export function refusalMessage(action: PaymentAction, status: PaymentStatus): string {
  return `A payment that is ${status} cannot be ${VERBS[action]}`;
}

/** Where an operation the bank approved leaves the payment. */
export function statusAfter(operation: BankOperation): { status: PaymentStatus; historyStatus: HistoryStatus } {
  switch (operation) {
    case 'capture':
      return { status: 'captured', historyStatus: 'active' };
    case 'void':
      return { status: 'voided', historyStatus: 'finished' };
    case 'expire':
      return { status: 'voided', historyStatus: 'expired' };
  }
}

/**
 * Whether a capture or void claimed on this payment moved it: still in progress, or approved.
 * Not when the bank refused it or had no record of it: the claim was released, nothing moved,
 * and running it again is what its first request would have done.
 */
export function operationTookEffect(
  operation: 'capture' | 'void',
  payment: { status: PaymentStatus; bankOperation: BankOperation | null },
): boolean {
  if (payment.bankOperation === operation) return true;
  return operation === 'capture' ? CAPTURED_STATUSES.includes(payment.status) : payment.status === 'voided';
}

const CAPTURED_STATUSES: readonly PaymentStatus[] = ['captured', 'partially_refunded', 'refunded'];

export interface RefundBalance {
  amountCaptured: number;
  amountRefunded: number;
  amountRefundPending: number;
}

/** What may still be refunded: the capture, less what is refunded or on its way. */
export function refundableAmount(payment: RefundBalance): number {
  return payment.amountCaptured - payment.amountRefunded - payment.amountRefundPending;
}

export function statusAfterRefunds(amountCaptured: number, amountRefunded: number): 'partially_refunded' | 'refunded' {
  return amountRefunded >= amountCaptured ? 'refunded' : 'partially_refunded';
}

/** Exponential backoff for asking the bank again: base, 2×base, 4×base … capped. */
export function reconcileDelayMs(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
}
