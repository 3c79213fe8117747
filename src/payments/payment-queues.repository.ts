import { Injectable } from '@nestjs/common';
import { Sql } from '../database/sql.js';
import type { Payment } from './payment.entity.js';
import { paymentFromRow } from './queries/payments.queries.js';
import { CLAIM_DUE_PAYMENT, CLAIM_DUE_REFUND, CLAIM_EXPIRED_PAYMENTS, DUE_PAYMENTS, DUE_REFUNDS } from './queries/queues.queries.js';
import { refundFromRow } from './queries/refunds.queries.js';
import type { Refund } from './refund.entity.js';

/**
 * The background workers' queues: rows due for the reconciler, authorisations due for expiry.
 * Each claim takes rows with SKIP LOCKED, so that every instance works and each row goes to
 * one. The SQL is in queries/queues.queries.ts; every statement runs through `Sql`.
 */
@Injectable()
export class PaymentQueuesRepository {
  constructor(private readonly sql: Sql) {}

  /**
   * Claims up to `limit` payments whose unsettled bank outcome is due for another question,
   * and pushes their next check back, so that each is asked about by one instance at a time.
   */
  async claimDuePayments(limit: number, delayMs: (attempt: number) => number): Promise<Payment[]> {
    return this.sql.transaction(async (tx) => {
      const due = await tx.query<{ id: string; check_attempts: number }>(DUE_PAYMENTS, [limit]);
      const claimed: Payment[] = [];
      for (const { id, check_attempts } of due) {
        const [row] = await tx.query(CLAIM_DUE_PAYMENT, [id, delayMs(check_attempts + 1)]);
        claimed.push(paymentFromRow(row!));
      }
      return claimed;
    });
  }

  async claimDueRefunds(limit: number, delayMs: (attempt: number) => number): Promise<Refund[]> {
    return this.sql.transaction(async (tx) => {
      const due = await tx.query<{ id: string; check_attempts: number }>(DUE_REFUNDS, [limit]);
      const claimed: Refund[] = [];
      for (const { id, check_attempts } of due) {
        const [row] = await tx.query(CLAIM_DUE_REFUND, [id, delayMs(check_attempts + 1)]);
        claimed.push(refundFromRow(row!));
      }
      return claimed;
    });
  }

  /** Claims authorised payments created before `cutoff` for expiry, skipping those another instance holds. */
  async claimExpired(cutoff: Date, limit: number, recheckAfterMs: number): Promise<Payment[]> {
    return (await this.sql.query(CLAIM_EXPIRED_PAYMENTS, [cutoff, limit, recheckAfterMs])).map(paymentFromRow);
  }
}
