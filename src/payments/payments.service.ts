import { Inject, Injectable } from '@nestjs/common';
import { listedMerchant, listedMode, modeOf, scopeOf, type Principal } from '../auth/principal.js';
import { BankGateway, type BankOutcome, type UnknownOutcome } from '../bank/bank-gateway.js';
import { Clock } from '../common/clock.js';
import { GatewayError, invalidParam, notFound } from '../common/errors.js';
import { isId, newId } from '../common/ids.js';
import { decodeCursor, toPage, type Cursor, type Page } from '../common/pagination.js';
import { parseTimestamp } from '../common/timestamps.js';
import { AppConfig } from '../config/config.js';
import type { IdempotencyClaim } from '../idempotency/idempotency-reclaim.decorator.js';
import { MerchantsService } from '../merchants/merchants.service.js';
import type { CardDto, CreatePaymentDto } from './dto/create-payment.dto.js';
import type { ListPaymentsQuery } from './dto/list-payments.query.js';
import type { PaymentEventResponse } from './dto/payment-actions.dto.js';
import type { PaymentAttemptResponse } from './dto/payment-attempt.response.js';
import type { CurrencyTotal, PaymentSummaryQuery, PaymentSummaryResponse, SummaryDay } from './dto/payment-summary.dto.js';
import { PaymentResponse } from './dto/payment.response.js';
import { paymentEvent, toEventResponse } from './payment-events.js';
import { PaymentSettlement } from './payment-settlement.js';
import type { Payment } from './payment.entity.js';
import { APPROVED_STATUSES, PaymentsRepository, type PaymentFilters } from './payments.repository.js';
import { cardFingerprint, cardNumberProblem, cvvLength, detectBrand, isExpired, normalizeCardNumber, type CardBrand } from './rules/card.js';
import { ARCHIVABLE_STATUSES, PAYMENT_STATUSES, canApply, operationTookEffect, refusalMessage, type PaymentAction, type PaymentStatus } from './rules/payment-state.js';

interface CheckedCard {
  digits: string;
  brand: CardBrand;
}

/** Rows per query while exporting: large enough to keep round trips few, small enough to hold. */
const EXPORT_PAGE = 500;

@Injectable()
export class PaymentsService {
  constructor(
    private readonly payments: PaymentsRepository,
    private readonly settlement: PaymentSettlement,
    private readonly merchants: MerchantsService,
    @Inject(BankGateway) private readonly bank: BankGateway,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  /**
   * Records the payment as pending with its card data reduced to what may be kept, then asks
   * the bank, then records the answer. A crash in between leaves a pending payment to resolve,
   * never a charge without a row.
   *
   * Under a reclaimed Idempotency-Key, the payment an earlier holder of the key created, if
   * any, is answered as it is now: it was recorded, and the bank asked or to be asked by the
   * reconciler, so creating another would charge twice.
   */
  async create(principal: Principal, dto: CreatePaymentDto, idempotency?: IdempotencyClaim): Promise<PaymentResponse> {
    if (idempotency?.reclaimed) {
      const created = await this.payments.findByIdempotencyToken(idempotency.token);
      if (created) return PaymentResponse.from(created);
    }
    const card = this.checkCard(dto.card);
    const merchantId = await this.merchants.resolveOwner(principal, dto.merchant_id);
    const capture = dto.capture ?? true;
    const now = this.clock.now();
    const payment: Payment = {
      id: newId('payment'),
      merchantId,
      // A test key's payment is a test payment; the admin's are live.
      livemode: modeOf(principal),
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
      amountRefundPending: 0,
      bankOperation: null,
      bankOperationAmount: null,
      // Set by the insert: should this process die before the bank answers, the reconciler asks then.
      nextCheckAt: null,
      checkAttempts: 0,
      bankReference: null,
      acquirerId: null,
      declineCode: null,
      failureReason: null,
      reference: dto.reference ?? null,
      description: dto.description ?? null,
      metadata: dto.metadata ?? {},
      idempotencyToken: idempotency?.token ?? null,
      operationIdempotencyToken: null,
      createdAt: now,
      updatedAt: now,
    };
    const authorization = {
      paymentId: payment.id,
      merchantId,
      brand: card.brand,
      livemode: payment.livemode,
      amount: payment.amount,
      currency: payment.currency,
      capture,
    };
    // Tries the bank needs on record before the card is sent go in the pending payment's statement.
    const tries = await this.bank.planTries?.(authorization);
    await this.payments.insertPending(payment, paymentEvent('payment.created', payment), this.settlement.recheckAfterMs, tries);

    const outcome = await this.bank.authorize({
      ...authorization,
      tries,
      card: {
        number: card.digits,
        cvv: dto.card.cvv,
        expiryMonth: dto.card.expiry_month,
        expiryYear: dto.card.expiry_year,
        holderName: payment.cardHolderName,
      },
    });
    return PaymentResponse.from(
      await this.settlement.recordedIfFailing(payment, async () =>
        // Unknown: the payment stays pending, and the reconciler asks the same bank again.
        outcome.kind === 'unknown' ? (await this.payments.findById(payment.id))! : this.settlement.settleAuthorization(payment, outcome),
      ),
    );
  }

  /** Captures all or part of an authorisation, once. */
  async capture(principal: Principal, id: string, amount: number | undefined, idempotency?: IdempotencyClaim): Promise<PaymentResponse> {
    const payment = await this.visible(principal, id);
    if (this.tookEffectUnder(idempotency, 'capture', payment)) return PaymentResponse.from(payment);
    this.assertAllowed('capture', payment);
    const amountToCapture = amount ?? payment.amount;
    if (amountToCapture > payment.amount) {
      throw new GatewayError('amount_too_large', `amount exceeds the authorised amount (${payment.amount})`, 'amount');
    }
    const claimed = await this.claim(payment, 'capture', amountToCapture, idempotency);
    return this.afterOperation(claimed, 'capture', await this.bank.capture({ paymentId: id, amount: amountToCapture }));
  }

  /** Releases an authorisation before capture. */
  async void(principal: Principal, id: string, idempotency?: IdempotencyClaim): Promise<PaymentResponse> {
    const payment = await this.visible(principal, id);
    if (this.tookEffectUnder(idempotency, 'void', payment)) return PaymentResponse.from(payment);
    this.assertAllowed('void', payment);
    const claimed = await this.claim(payment, 'void', null, idempotency);
    return this.afterOperation(claimed, 'void', await this.bank.void({ paymentId: id }));
  }

  async attempts(principal: Principal, id: string): Promise<PaymentAttemptResponse[]> {
    return this.payments.attempts(await this.visible(principal, id));
  }

  async events(principal: Principal, id: string): Promise<PaymentEventResponse[]> {
    const payment = await this.visible(principal, id);
    return (await this.payments.events(id)).map((event) => toEventResponse(event, payment.livemode));
  }

  /**
   * The payment, if this caller may see it: a merchant key sees its merchant's payments of its
   * own mode only. A 404 otherwise, whether it exists or not.
   */
  async visible(principal: Principal, id: string): Promise<Payment> {
    const payment = await this.payments.findById(id, scopeOf(principal));
    if (!payment) throw notFound('payment');
    return payment;
  }

  private assertAllowed(action: PaymentAction, payment: Payment): void {
    if (!canApply(action, payment.status)) throw new GatewayError('invalid_state', refusalMessage(action, payment.status));
    if (payment.bankOperation) {
      throw new GatewayError('invalid_state', `Another operation on this payment (${payment.bankOperation}) is in progress`);
    }
  }

  /**
   * Under a reclaimed Idempotency-Key: whether an earlier holder of the key claimed this
   * operation on the payment and it moved money (or may yet), so that it is answered, not run again.
   */
  private tookEffectUnder(idempotency: IdempotencyClaim | undefined, operation: 'capture' | 'void', payment: Payment): boolean {
    return idempotency?.reclaimed === true && payment.operationIdempotencyToken === idempotency.token && operationTookEffect(operation, payment);
  }

  /**
   * Marks the payment as having `operation` in progress, if nothing else got there first: of
   * two concurrent captures (or a capture and a void) only one ever reaches the bank. The
   * request's Idempotency-Key token goes with the claim, for a reclaim of the key to find.
   */
  private async claim(payment: Payment, operation: 'capture' | 'void', amount: number | null, idempotency?: IdempotencyClaim): Promise<Payment> {
    const claimed = await this.payments.claimOperation(
      payment.id,
      { operation, amount, idempotencyToken: idempotency?.token ?? null, recheckAfterMs: this.settlement.recheckAfterMs },
      (after) => ({
        action: `payment.${operation}`,
        target: { type: 'payment', id: after.id },
        merchantId: after.merchantId,
        before: { status: payment.status, amount_captured: payment.amountCaptured },
        after: { bank_operation: operation, ...(amount !== null && { amount }) },
      }),
    );
    if (claimed) return claimed;
    const current = await this.payments.findById(payment.id);
    this.assertAllowed(operation, current!);
    throw new GatewayError('invalid_state', 'The payment changed while this request ran; read it again');
  }

  private async afterOperation(
    claimed: Payment,
    operation: 'capture' | 'void',
    outcome: BankOutcome | UnknownOutcome,
  ): Promise<PaymentResponse> {
    // No answer: the operation stays in progress and the reconciler finishes it.
    if (outcome.kind === 'unknown') return PaymentResponse.from(claimed);
    const settled = await this.settlement.recordedIfFailing(claimed, () => this.settlement.settleOperation(claimed, operation, outcome));
    if (outcome.kind !== 'approved') {
      throw new GatewayError('bank_error', `The bank refused the ${operation}; the payment is unchanged`);
    }
    return PaymentResponse.from(settled);
  }

  async get(principal: Principal, id: string): Promise<PaymentResponse> {
    return PaymentResponse.from(await this.visible(principal, id));
  }

  async list(principal: Principal, query: ListPaymentsQuery): Promise<Page<PaymentResponse>> {
    const rows = await this.payments.list({
      ...this.filtersOf(principal, query),
      after: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
      limit: query.limit,
    });
    return toPage(rows, query.limit, PaymentResponse.from);
  }

  /**
   * Every payment the list's filters match, oldest page last, one keyset page at a time: memory
   * stays one page whatever the count, and the caller writes each page before the next is read.
   */
  async *exportAll(principal: Principal, query: ListPaymentsQuery): AsyncGenerator<Payment[]> {
    const filters = this.filtersOf(principal, query);
    let after: Cursor | undefined;
    for (;;) {
      const rows = await this.payments.list({ ...filters, after, limit: EXPORT_PAGE });
      const page = rows.slice(0, EXPORT_PAGE);
      if (page.length > 0) yield page;
      if (rows.length <= EXPORT_PAGE) return;
      const last = page[page.length - 1];
      after = { createdAt: last.createdAt, id: last.id };
    }
  }

  async summary(principal: Principal, query: PaymentSummaryQuery): Promise<PaymentSummaryResponse> {
    const { merchantId, livemode, createdGte, createdLt } = this.filtersOf(principal, query);
    const rows = await this.payments.summary({ merchantId, livemode, createdGte, createdLt });
    const byStatus = Object.fromEntries(PAYMENT_STATUSES.map((status) => [status, 0])) as Record<PaymentStatus, number>;
    for (const row of rows.byStatus) byStatus[row.status] = Number(row.count);
    const totals = new Map<string, CurrencyTotal>();
    const days = new Map<string, SummaryDay>();
    for (const row of rows.byDayAndCurrency) {
      const total = totals.get(row.currency) ?? { currency: row.currency, count: 0, amount: 0 };
      total.count += Number(row.count);
      total.amount += Number(row.amount);
      totals.set(row.currency, total);
      const day = days.get(row.date) ?? { date: row.date, count: 0, approved: 0, amount_by_currency: {} };
      day.count += Number(row.count);
      day.approved += Number(row.approved);
      day.amount_by_currency[row.currency] = Number(row.amount);
      days.set(row.date, day);
    }
    const approved = APPROVED_STATUSES.reduce((sum, status) => sum + byStatus[status], 0);
    const decided = approved + byStatus.declined;
    return {
      object: 'payment_summary',
      currency_totals: [...totals.values()],
      by_status: byStatus,
      approval_rate: decided === 0 ? 0 : approved / decided,
      days: [...days.values()],
    };
  }

  /** The caller's scope narrowed by the query's filters; `merchant_id` is for staff only. */
  private filtersOf(principal: Principal, query: Partial<ListPaymentsQuery>): Omit<PaymentFilters, 'limit'> {
    return {
      merchantId: listedMerchant(principal, query.merchant_id),
      livemode: listedMode(principal, query.livemode),
      status: query.status,
      historyStatus: query.history_status,
      // Checked by the DTO: parseTimestamp() gives back a date.
      createdGte: query.created_gte === undefined ? undefined : parseTimestamp(query.created_gte),
      createdLt: query.created_lt === undefined ? undefined : parseTimestamp(query.created_lt),
      reference: query.reference,
    };
  }

  /** Hides a payment from lists; archiving an archived payment changes nothing. */
  async archive(id: string): Promise<PaymentResponse> {
    const archived = await this.payments.archive(
      id,
      ARCHIVABLE_STATUSES,
      this.clock.now(),
      (after) => paymentEvent('payment.archived', after),
      (after) => ({
        action: 'payment.archive',
        target: { type: 'payment', id },
        merchantId: after.merchantId,
        before: { history_status: 'active' },
        after: { history_status: 'archived' },
      }),
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
    return this.payments.archiveBefore(
      parseTimestamp(createdLt)!,
      merchantId,
      ARCHIVABLE_STATUSES,
      this.clock.now(),
      (after) => paymentEvent('payment.archived', after),
      // One row per batch (500 payments, one transaction), naming the batch's first and last.
      (archived) => ({
        action: 'payment.archive_bulk',
        target: { type: merchantId ? 'merchant' : 'payments', id: merchantId ?? 'all' },
        merchantId: merchantId ?? null,
        after: { created_lt: createdLt, archived: archived.length, first_id: archived[0]!.id, last_id: archived.at(-1)!.id },
      }),
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
}
