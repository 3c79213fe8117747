import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.js';
import { paymentsByStatus } from '../metrics/metrics.js';
import { PaymentEvent } from './payment-event.entity.js';
import { Payment } from './payment.entity.js';
import { PaymentsRepository, toEntity, type PaymentChanges } from './payments.repository.js';
import { Refund } from './refund.entity.js';
import type { PaymentStatus } from './rules/payment-state.js';

/** Refunds: their reads, the reservation of a refund's amount on its payment, and their settlement. */
@Injectable()
export class RefundsRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly payments: PaymentsRepository,
    private readonly audit: AuditTrail,
  ) {}

  async refunds(paymentId: string): Promise<Refund[]> {
    return this.dataSource.getRepository(Refund).find({ where: { paymentId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async findRefund(id: string): Promise<Refund | null> {
    return this.dataSource.getRepository(Refund).findOneBy({ id });
  }

  async findRefundByIdempotencyToken(paymentId: string, token: string): Promise<Refund | null> {
    return this.dataSource.getRepository(Refund).findOneBy({ paymentId, idempotencyToken: token });
  }

  /**
   * Reserves `refund.amount` of the payment's refundable balance and records the refund as
   * pending, atomically: concurrent refunds can never reserve more than was captured.
   */
  async reserveRefund(refund: Refund, statuses: readonly PaymentStatus[]): Promise<Payment | undefined> {
    return this.dataSource.transaction(async (manager) => {
      const payment = await this.payments.updateWith(
        manager,
        refund.paymentId,
        { statuses, merchantId: refund.merchantId, refundableAtLeast: refund.amount },
        { amountRefundPending: () => `amount_refund_pending + ${Number(refund.amount)}`, updatedAt: refund.createdAt },
      );
      if (payment) {
        await manager.insert(Refund, refund);
        await this.audit.record(manager, {
          action: 'refund.create',
          target: { type: 'refund', id: refund.id },
          merchantId: refund.merchantId,
          after: { payment_id: refund.paymentId, amount: refund.amount, currency: payment.currency, reason: refund.reason },
        });
      }
      return payment;
    });
  }

  /**
   * Settles a pending refund once: the refund, the payment's balances and the event commit
   * together. Undefined when the refund was no longer pending (settled by someone else).
   */
  async settleRefund(
    refundId: string,
    succeeded: boolean,
    failureReason: string | null,
    now: Date,
    paymentChanges: (payment: Payment, refund: Refund) => PaymentChanges,
    event: (refund: Refund, payment: Payment) => PaymentEvent,
  ): Promise<{ refund: Refund; payment: Payment } | undefined> {
    return this.dataSource.transaction(async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .update(Refund)
        .set({ status: succeeded ? 'succeeded' : 'failed', failureReason, nextCheckAt: null, updatedAt: now })
        .where(`id = :refundId AND status = 'pending'`, { refundId })
        .returning('*')
        .execute();
      const row = (result.raw as Record<string, unknown>[])[0];
      if (!row) return undefined;
      const refund = toEntity(manager, Refund, row);
      const current = await manager.getRepository(Payment).findOneOrFail({ where: { id: refund.paymentId }, lock: { mode: 'pessimistic_write' } });
      const payment = (await this.payments.updateWith(manager, refund.paymentId, {}, paymentChanges(current, refund)))!;
      await manager.insert(PaymentEvent, event(refund, payment));
      if (payment.status !== current.status) paymentsByStatus.inc({ status: payment.status });
      return { refund, payment };
    });
  }
}
