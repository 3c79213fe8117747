import { Inject, Injectable, Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Principal } from '../auth/principal.js';
import { BankGateway, type BankOutcome } from '../bank/bank-gateway.js';
import { Clock } from '../common/clock.js';
import { GatewayError, invalidParam, notFound } from '../common/errors.js';
import { isId, newId } from '../common/ids.js';
import { decodeCursor, toPage, type Page } from '../common/pagination.js';
import { requestContext } from '../common/request-context.js';
import { AppConfig } from '../config/config.js';
import { MerchantsService } from '../merchants/merchants.service.js';
import type { CardDto, CreatePaymentDto } from './dto/create-payment.dto.js';
import type { ListPaymentsQuery } from './dto/list-payments.query.js';
import { PaymentResponse } from './dto/payment.response.js';
import type { PaymentEvent } from './payment-event.entity.js';
import type { Payment } from './payment.entity.js';
import { PaymentsRepository } from './payments.repository.js';
import { applyAuthorizationOutcome } from './rules/bank-outcome.js';
import { cardFingerprint, cardNumberProblem, cvvLength, detectBrand, isExpired, normalizeCardNumber, type CardBrand } from './rules/card.js';
import { ARCHIVABLE_STATUSES, eventTypeFor } from './rules/payment-state.js';

interface CheckedCard {
  digits: string;
  brand: CardBrand;
}

@Injectable()
export class PaymentsService {
  private readonly logger = new Logger('Payments');

  constructor(
    private readonly payments: PaymentsRepository,
    private readonly merchants: MerchantsService,
    @Inject(BankGateway) private readonly bank: BankGateway,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /**
   * Records the payment as pending with its card data reduced to what may be kept, then asks
   * the bank, then records the answer. A crash in between leaves a pending payment to resolve,
   * never a charge without a row.
   */
  async create(principal: Principal, dto: CreatePaymentDto): Promise<PaymentResponse> {
    const card = this.checkCard(dto.card);
    const merchantId = await this.merchantFor(principal, dto.merchant_id);
    const capture = dto.capture ?? true;
    const now = this.clock.now();
    const payment: Payment = {
      id: newId('payment'),
      merchantId,
      status: 'pending',
      historyStatus: 'active',
      amount: dto.amount,
      currency: dto.currency,
      captureRequested: capture,
      amountCaptured: 0,
      amountRefunded: 0,
      cardBrand: card.brand,
      cardBin: card.digits.slice(0, 6),
      cardLast4: card.digits.slice(-4),
      cardExpiryMonth: dto.card.expiry_month,
      cardExpiryYear: dto.card.expiry_year,
      cardHolderName: dto.card.holder_name ?? null,
      cardFingerprint: cardFingerprint(this.config.cardFingerprintSecret, card.digits),
      bankReference: null,
      declineCode: null,
      failureReason: null,
      reference: dto.reference ?? null,
      description: dto.description ?? null,
      metadata: dto.metadata ?? {},
      createdAt: now,
      updatedAt: now,
    };
    await this.payments.insert(payment, this.event('payment.created', payment));

    const outcome = await this.askBank(payment, dto, card.digits);
    if (!outcome) return PaymentResponse.from(payment);

    const changes = applyAuthorizationOutcome(outcome, payment.amount, capture);
    const updated = await this.payments.transition(
      payment.id,
      { statuses: ['pending'] },
      { ...changes, updatedAt: this.clock.now() },
      (after) => this.event(eventTypeFor(after.status), after),
    );
    return PaymentResponse.from(updated ?? (await this.payments.findById(payment.id))!);
  }

  async get(principal: Principal, id: string): Promise<PaymentResponse> {
    const payment = await this.payments.findById(id, merchantScope(principal));
    if (!payment) throw notFound('payment');
    return PaymentResponse.from(payment);
  }

  async list(principal: Principal, query: ListPaymentsQuery): Promise<Page<PaymentResponse>> {
    let merchantId = merchantScope(principal);
    if (query.merchant_id !== undefined) {
      if (principal.role !== 'admin') {
        throw new GatewayError('parameter_unknown', 'Unknown parameter: merchant_id', 'merchant_id');
      }
      if (!isId('merchant', query.merchant_id)) throw invalidParam('merchant_id', 'merchant_id is not a merchant id');
      merchantId = query.merchant_id;
    }
    const rows = await this.payments.list({
      merchantId,
      status: query.status,
      historyStatus: query.history_status,
      createdGte: query.created_gte === undefined ? undefined : new Date(query.created_gte),
      createdLt: query.created_lt === undefined ? undefined : new Date(query.created_lt),
      reference: query.reference,
      after: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
      limit: query.limit,
    });
    return toPage(rows, query.limit, PaymentResponse.from);
  }

  /** Hides a payment from lists; archiving an archived payment changes nothing. */
  async archive(id: string): Promise<PaymentResponse> {
    const archived = await this.payments.transition(
      id,
      { statuses: ARCHIVABLE_STATUSES, notArchived: true },
      { historyStatus: 'archived', updatedAt: this.clock.now() },
      (after) => this.event('payment.archived', after),
    );
    if (archived) return PaymentResponse.from(archived);
    const payment = await this.payments.findById(id);
    if (!payment) throw notFound('payment');
    if (payment.historyStatus !== 'archived') {
      throw new GatewayError('invalid_state', `A payment that is ${payment.status} cannot be archived`);
    }
    return PaymentResponse.from(payment);
  }

  async archiveBefore(createdLt: string, merchantId: string | undefined): Promise<number> {
    if (merchantId !== undefined && !isId('merchant', merchantId)) {
      throw invalidParam('merchant_id', 'merchant_id is not a merchant id');
    }
    return this.payments.archiveBefore(new Date(createdLt), merchantId, ARCHIVABLE_STATUSES, this.clock.now(), (after) =>
      this.event('payment.archived', after),
    );
  }

  private checkCard(card: CardDto): CheckedCard {
    const problem = cardNumberProblem(card.number);
    if (problem) throw new GatewayError('card_number_invalid', problem, 'card.number');
    const digits = normalizeCardNumber(card.number)!;
    if (isExpired(card.expiry_month, card.expiry_year, this.clock.now())) {
      const month = String(card.expiry_month).padStart(2, '0');
      throw new GatewayError('card_expired', `The card expired at the end of ${month}/${card.expiry_year}`, 'card.expiry_month');
    }
    const brand = detectBrand(digits);
    const expected = cvvLength(brand);
    if (card.cvv.length !== expected) {
      throw invalidParam('card.cvv', `card.cvv must be ${expected} digits for a ${brand} card`);
    }
    return { digits, brand };
  }

  private async merchantFor(principal: Principal, requested: string | undefined): Promise<string> {
    if (principal.role === 'merchant') {
      if (requested !== undefined) {
        throw new GatewayError('parameter_unknown', 'Unknown parameter: merchant_id', 'merchant_id');
      }
      return principal.merchantId;
    }
    if (requested === undefined) {
      throw new GatewayError('parameter_missing', 'The admin key must name merchant_id', 'merchant_id');
    }
    if (!isId('merchant', requested) || !(await this.merchants.exists(requested))) {
      throw invalidParam('merchant_id', `No such merchant: ${requested}`);
    }
    return requested;
  }

  /** The bank's answer, or undefined when it is unknown (timeout or transport error): the payment stays pending. */
  private async askBank(payment: Payment, dto: CreatePaymentDto, digits: string): Promise<BankOutcome | undefined> {
    const timeout = new AbortController();
    try {
      return await requestContext.timeBank(() =>
        Promise.race([
          this.bank.authorize({
            paymentId: payment.id,
            amount: payment.amount,
            currency: payment.currency,
            capture: payment.captureRequested,
            card: {
              number: digits,
              cvv: dto.card.cvv,
              expiryMonth: dto.card.expiry_month,
              expiryYear: dto.card.expiry_year,
              holderName: payment.cardHolderName,
            },
          }),
          sleep(this.config.bankTimeoutMs, undefined, { signal: timeout.signal }).then(() => undefined),
        ]),
      );
    } catch (error) {
      this.logger.warn(`Bank call for ${payment.id} failed, outcome unknown: ${(error as Error).message}`);
      return undefined;
    } finally {
      timeout.abort();
    }
  }

  private event(type: string, payment: Payment): PaymentEvent {
    return {
      id: newId('event'),
      paymentId: payment.id,
      merchantId: payment.merchantId,
      type,
      data: { object: PaymentResponse.from(payment) },
      createdAt: payment.updatedAt,
    };
  }
}

function merchantScope(principal: Principal): string | undefined {
  return principal.role === 'merchant' ? principal.merchantId : undefined;
}
