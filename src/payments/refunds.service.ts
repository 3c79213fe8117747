import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { BankGateway } from '../bank/bank-gateway.js';
import { Clock } from '../common/clock.js';
import { GatewayError } from '../common/errors.js';
import { newId } from '../common/ids.js';
import { AppConfig } from '../config/config.js';
import type { IdempotencyClaim } from '../idempotency/idempotency-reclaim.decorator.js';
import type { CreateRefundDto } from './dto/payment-actions.dto.js';
import { RefundResponse } from './dto/refund.response.js';
import { PaymentSettlement } from './payment-settlement.js';
import type { Payment } from './payment.entity.js';
import { PaymentsRepository } from './payments.repository.js';
import { PaymentsService } from './payments.service.js';
import type { Refund } from './refund.entity.js';
import { RefundsRepository } from './refunds.repository.js';
import { allowedFrom, canApply, refundableAmount, refusalMessage } from './rules/payment-state.js';

@Injectable()
export class RefundsService {
  constructor(
    private readonly payments: PaymentsService,
    private readonly repository: PaymentsRepository,
    private readonly refunds: RefundsRepository,
    private readonly settlement: PaymentSettlement,
    @Inject(BankGateway) private readonly bank: BankGateway,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /**
   * Reserves the amount on the payment before asking the bank, so that concurrent refunds,
   * from any instance, never add up to more than was captured. Under a reclaimed
   * Idempotency-Key, the refund an earlier holder of the key created, if any, is answered as
   * it is now instead of refunding again.
   */
  async create(principal: Principal, paymentId: string, dto: CreateRefundDto, idempotency?: IdempotencyClaim): Promise<RefundResponse> {
    const payment = await this.payments.visible(principal, paymentId);
    if (idempotency?.reclaimed) {
      const created = await this.refunds.findRefundByIdempotencyToken(paymentId, idempotency.token);
      if (created) return RefundResponse.from(created, payment.livemode);
    }
    this.assertRefundable(payment, dto.amount);
    const now = this.clock.now();
    const refund: Refund = {
      id: newId('refund'),
      paymentId,
      merchantId: payment.merchantId,
      amount: dto.amount ?? refundableAmount(payment),
      status: 'pending',
      reason: dto.reason ?? null,
      failureReason: null,
      // Set by the insert: the database's clock plus the recheck delay.
      nextCheckAt: null,
      checkAttempts: 0,
      idempotencyToken: idempotency?.token ?? null,
      createdAt: now,
      updatedAt: now,
    };
    const reserved = await this.refunds.reserveRefund(refund, allowedFrom('refund'), this.settlement.recheckAfterMs);
    if (!reserved) {
      // Another refund or change got there first: explain against the payment as it is now.
      this.assertRefundable((await this.repository.findById(paymentId))!, refund.amount);
      throw new GatewayError('invalid_state', 'The payment changed while this request ran; read it again');
    }

    const outcome = await this.bank.refund({ refundId: refund.id, paymentId, amount: refund.amount });
    // Unknown: the refund stays pending, and the reconciler asks the same bank again.
    if (outcome.kind === 'unknown') return RefundResponse.from(refund, payment.livemode);
    const settled = await this.settlement.recordedIfFailing(refund, () => this.settlement.settleRefund(refund, outcome));
    return RefundResponse.from(settled, payment.livemode);
  }

  async list(principal: Principal, paymentId: string): Promise<RefundResponse[]> {
    const payment = await this.payments.visible(principal, paymentId);
    return (await this.refunds.refunds(paymentId)).map((refund) => RefundResponse.from(refund, payment.livemode));
  }

  private assertRefundable(payment: Payment, amount: number | undefined): void {
    if (!canApply('refund', payment.status)) throw new GatewayError('invalid_state', refusalMessage('refund', payment.status));
    const refundable = refundableAmount(payment);
    if (refundable === 0) {
      throw new GatewayError('amount_too_large', 'Nothing is left to refund: refunds in progress cover the rest', 'amount');
    }
    if (amount !== undefined && amount > refundable) {
      throw new GatewayError('amount_too_large', `amount exceeds what is left to refund (${refundable})`, 'amount');
    }
  }
}
