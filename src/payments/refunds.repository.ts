import { Injectable } from '@nestjs/common';
import { AuditTrail } from '../audit/audit-trail.js';
import { Sql } from '../database/sql.js';
import { paymentsByStatus } from '../metrics/metrics.js';
import type { PaymentEvent } from './payment-event.entity.js';
import type { Payment } from './payment.entity.js';
import { insertEvents } from './payments.repository.js';
import { PAYMENT_BY_ID_FOR_UPDATE, paymentFromRow } from './queries/payments.queries.js';
import {
  INSERT_REFUND,
  REFUND_BY_ID,
  REFUND_BY_IDEMPOTENCY_TOKEN,
  REFUNDS_OF_PAYMENT,
  RESERVE_REFUND,
  SET_REFUND_BALANCES,
  SETTLE_REFUND,
  refundFromRow,
} from './queries/refunds.queries.js';
import type { Refund } from './refund.entity.js';
import type { PaymentStatus } from './rules/payment-state.js';

/** What a settled refund changes on its payment. */
export type RefundBalances = Pick<Payment, 'amountRefunded' | 'amountRefundPending' | 'status' | 'historyStatus' | 'updatedAt'>;

/**
 * Refunds: their reads, the reservation of a refund's amount on its payment, and their
 * settlement. The SQL is in queries/refunds.queries.ts; every statement runs through `Sql`.
 */
@Injectable()
export class RefundsRepository {
  constructor(
    private readonly sql: Sql,
    private readonly audit: AuditTrail,
  ) {}

  async refunds(paymentId: string): Promise<Refund[]> {
    return (await this.sql.query(REFUNDS_OF_PAYMENT, [paymentId])).map(refundFromRow);
  }

  async findRefund(id: string): Promise<Refund | null> {
    const [row] = await this.sql.query(REFUND_BY_ID, [id]);
    return row ? refundFromRow(row) : null;
  }

  async findRefundByIdempotencyToken(paymentId: string, token: string): Promise<Refund | null> {
    const [row] = await this.sql.query(REFUND_BY_IDEMPOTENCY_TOKEN, [paymentId, token]);
    return row ? refundFromRow(row) : null;
  }

  /**
   * Reserves `refund.amount` of the payment's refundable balance and records the refund as
   * pending, atomically: concurrent refunds can never reserve more than was captured. The
   * refund's `next_check_at` is the database's clock plus `recheckAfterMs` (its `nextCheckAt`
   * is not read). Undefined when the payment could not take it (any more).
   */
  async reserveRefund(refund: Refund, statuses: readonly PaymentStatus[], recheckAfterMs: number): Promise<Payment | undefined> {
    return this.sql.transaction(async (tx) => {
      const [row] = await tx.query(RESERVE_REFUND, [refund.paymentId, refund.merchantId, statuses, refund.amount, refund.createdAt]);
      if (!row) return undefined;
      const payment = paymentFromRow(row);
      await tx.query(INSERT_REFUND, [
        refund.id,
        refund.paymentId,
        refund.merchantId,
        refund.amount,
        refund.status,
        refund.reason,
        refund.failureReason,
        recheckAfterMs,
        refund.checkAttempts,
        refund.idempotencyToken,
        refund.createdAt,
        refund.updatedAt,
      ]);
      await this.audit.record(tx, {
        action: 'refund.create',
        target: { type: 'refund', id: refund.id },
        merchantId: refund.merchantId,
        after: { payment_id: refund.paymentId, amount: refund.amount, currency: payment.currency, reason: refund.reason },
      });
      return payment;
    });
  }

  /**
   * Settles a pending refund once: the refund, the payment's balances and the event commit
   * together. `balances` computes the payment's change from the payment as it is, locked.
   * Undefined when the refund was no longer pending (settled by someone else).
   */
  async settleRefund(
    refundId: string,
    succeeded: boolean,
    failureReason: string | null,
    now: Date,
    balances: (payment: Payment, refund: Refund) => Partial<RefundBalances>,
    event: (refund: Refund, payment: Payment) => PaymentEvent,
  ): Promise<{ refund: Refund; payment: Payment } | undefined> {
    return this.sql.transaction(async (tx) => {
      const [refundRow] = await tx.query(SETTLE_REFUND, [refundId, succeeded ? 'succeeded' : 'failed', failureReason, now]);
      if (!refundRow) return undefined;
      const refund = refundFromRow(refundRow);
      const [currentRow] = await tx.query(PAYMENT_BY_ID_FOR_UPDATE, [refund.paymentId]);
      const current = paymentFromRow(currentRow!);
      const after = { ...current, ...balances(current, refund) };
      const [paymentRow] = await tx.query(SET_REFUND_BALANCES, [
        current.id,
        after.amountRefunded,
        after.amountRefundPending,
        after.status,
        after.historyStatus,
        after.updatedAt,
      ]);
      const payment = paymentFromRow(paymentRow!);
      await insertEvents(tx, [event(refund, payment)]);
      if (payment.status !== current.status) paymentsByStatus.inc({ status: payment.status });
      return { refund, payment };
    });
  }
}
