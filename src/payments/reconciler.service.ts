import { Inject, Injectable, Logger } from '@nestjs/common';
import { BankGateway, type BankOperationRef } from '../bank/bank-gateway.js';
import { AppConfig } from '../config/config.js';
import { PaymentQueuesRepository } from './payment-queues.repository.js';
import { PaymentSettlement } from './payment-settlement.js';
import type { Payment } from './payment.entity.js';
import type { Refund } from './refund.entity.js';
import { reconcileDelayMs } from './rules/payment-state.js';

const BATCH = 20;

/**
 * Settles what the bank has not answered yet: pending authorisations, captures, voids,
 * expiries and refunds. Each instance claims due rows with SKIP LOCKED and reschedules them
 * with exponential backoff before asking, so a row is asked about by one instance at a time.
 */
@Injectable()
export class Reconciler {
  private readonly logger = new Logger('Reconciler');

  constructor(
    private readonly queues: PaymentQueuesRepository,
    private readonly settlement: PaymentSettlement,
    @Inject(BankGateway) private readonly bank: BankGateway,
    private readonly config: AppConfig,
  ) {}

  /** One pass; returns how many rows were looked at. */
  async runOnce(): Promise<number> {
    const delay = (attempt: number) =>
      reconcileDelayMs(attempt, this.config.reconcilerBackoffBaseMs, this.config.reconcilerBackoffMaxMs);
    const payments = await this.queues.claimDuePayments(BATCH, delay);
    for (const payment of payments) await this.reconcilePayment(payment);
    const refunds = await this.queues.claimDueRefunds(BATCH, delay);
    for (const refund of refunds) await this.reconcileRefund(refund);
    return payments.length + refunds.length;
  }

  private async reconcilePayment(payment: Payment): Promise<void> {
    if (payment.status === 'pending') {
      const status = await this.ask({ kind: 'authorization', paymentId: payment.id });
      if (status.kind === 'processing' || status.kind === 'unknown') return;
      // The bank never received it: no money moved.
      const outcome = status.kind === 'not_found' ? { kind: 'failed' as const, failureReason: 'bank_no_record' } : status;
      const settled = await this.settlement.settleAuthorization(payment, outcome);
      this.logger.log(`${payment.id} settled as ${settled.status}`);
      return;
    }
    const operation = payment.bankOperation;
    if (!operation) return;
    const status = await this.ask({ kind: operation === 'capture' ? 'capture' : 'void', paymentId: payment.id });
    if (status.kind === 'processing' || status.kind === 'unknown') return;
    if (status.kind === 'not_found') {
      await this.settlement.abandonOperation(payment, operation);
      this.logger.warn(`The bank has no record of the ${operation} of ${payment.id}; released`);
      return;
    }
    const settled = await this.settlement.settleOperation(payment, operation, status);
    this.logger.log(`${operation} of ${payment.id} settled: ${settled.status}`);
  }

  private async reconcileRefund(refund: Refund): Promise<void> {
    if (refund.status !== 'pending') return;
    const status = await this.ask({ kind: 'refund', refundId: refund.id });
    if (status.kind === 'processing' || status.kind === 'unknown') return;
    const outcome = status.kind === 'not_found' ? { kind: 'failed' as const, failureReason: 'bank_no_record' } : status;
    const settled = await this.settlement.settleRefund(refund, outcome);
    this.logger.log(`Refund ${refund.id} settled as ${settled.status}`);
  }

  private ask(operation: BankOperationRef) {
    return this.bank.getStatus(operation);
  }
}
