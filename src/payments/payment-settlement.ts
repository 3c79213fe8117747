import { Injectable, Logger } from '@nestjs/common';
import type { BankOutcome } from '../bank/bank-gateway.js';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/config.js';
import { paymentEvent, refundEvent } from './payment-events.js';
import type { Payment } from './payment.entity.js';
import { PaymentsRepository } from './payments.repository.js';
import type { Refund } from './refund.entity.js';
import { RefundsRepository } from './refunds.repository.js';
import { applyAuthorizationOutcome } from './rules/bank-outcome.js';
import { eventTypeFor, historyStatusFor, statusAfter, statusAfterRefunds, type BankOperation } from './rules/payment-state.js';

const SETTLED = { nextCheckAt: null, checkAttempts: 0 } as const;

const OPERATION_EVENTS: Record<BankOperation, string> = {
  capture: 'payment.captured',
  void: 'payment.voided',
  expire: 'payment.expired',
};

/**
 * Applies what the bank answered, whoever asked: the request itself, the reconciler or the
 * expiry sweeper. Every change is conditional on the state it expects, so the first to
 * settle wins and a late second answer changes nothing.
 */
@Injectable()
export class PaymentSettlement {
  private readonly logger = new Logger('Settlement');
  /** When to ask the bank again if this call's answer never comes: after the timeout, and some (on the database's clock). */
  readonly recheckAfterMs: number;

  constructor(
    private readonly payments: PaymentsRepository,
    private readonly refunds: RefundsRepository,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    this.recheckAfterMs = config.bankTimeoutMs + 2000;
  }

  /**
   * Once the bank has been asked, the caller gets what is recorded, never a 5xx: a 5xx frees
   * the Idempotency-Key, and a retry would charge again. Should settling fail (the database
   * went away), the row stays unsettled, the reconciler finishes it, and `recorded` is answered.
   */
  async recordedIfFailing<T>(recorded: T, settle: () => Promise<T>): Promise<T> {
    try {
      return await settle();
    } catch (error) {
      this.logger.error(`Settling after the bank answered failed; the reconciler will finish it: ${(error as Error).message}`);
      return recorded;
    }
  }

  async settleAuthorization(payment: Payment, outcome: BankOutcome): Promise<Payment> {
    const changes = applyAuthorizationOutcome(outcome, payment.amount, payment.captureRequested);
    const updated = await this.payments.settlePending(
      payment,
      { ...changes, ...SETTLED, updatedAt: this.clock.now() },
      (after) => paymentEvent(eventTypeFor(after.status), after),
      outcome.attempt,
    );
    return updated ?? (await this.payments.findById(payment.id))!;
  }

  /** A capture, void or expiry the bank answered; a refusal releases the payment unchanged. */
  async settleOperation(payment: Payment, operation: BankOperation, outcome: BankOutcome): Promise<Payment> {
    if (outcome.kind !== 'approved') {
      this.logger.warn(`The bank refused the ${operation} of ${payment.id}: ${JSON.stringify(outcome)}`);
      return (await this.payments.releaseOperation(payment.id, operation)) ?? (await this.payments.findById(payment.id))!;
    }
    const settled = {
      ...statusAfter(operation),
      amountCaptured: operation === 'capture' ? (payment.bankOperationAmount ?? payment.amount) : null,
      updatedAt: this.clock.now(),
    };
    const updated = await this.payments.settleOperation(payment.id, operation, settled, (after) => paymentEvent(OPERATION_EVENTS[operation], after));
    return updated ?? (await this.payments.findById(payment.id))!;
  }

  /** Releases an operation the bank never received: nothing happened, the payment is as it was. */
  async abandonOperation(payment: Payment, operation: BankOperation): Promise<void> {
    await this.payments.releaseOperation(payment.id, operation);
  }

  async settleRefund(refund: Refund, outcome: BankOutcome): Promise<Refund> {
    const succeeded = outcome.kind === 'approved';
    const failureReason = outcome.kind === 'approved' ? null : outcome.kind === 'failed' ? outcome.failureReason : outcome.declineCode;
    const settled = await this.refunds.settleRefund(
      refund.id,
      succeeded,
      failureReason,
      this.clock.now(),
      (payment, settledRefund) => {
        const amountRefundPending = payment.amountRefundPending - settledRefund.amount;
        if (!succeeded) return { amountRefundPending, updatedAt: settledRefund.updatedAt };
        const amountRefunded = payment.amountRefunded + settledRefund.amount;
        const status = statusAfterRefunds(payment.amountCaptured, amountRefunded);
        return {
          amountRefunded,
          amountRefundPending,
          status,
          // An archived or expired payment keeps its history status; otherwise it follows the status.
          historyStatus: payment.historyStatus === 'active' || payment.historyStatus === 'finished' ? historyStatusFor(status) : payment.historyStatus,
          updatedAt: settledRefund.updatedAt,
        };
      },
      (settledRefund, payment) => refundEvent(succeeded ? 'refund.succeeded' : 'refund.failed', settledRefund, payment),
    );
    return settled?.refund ?? (await this.refunds.findRefund(refund.id))!;
  }
}
