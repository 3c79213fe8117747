import { ApiProperty } from '@nestjs/swagger';
import { CARD_BRANDS, type CardBrand } from '../rules/card.js';
import { HISTORY_STATUSES, PAYMENT_STATUSES, type HistoryStatus, type PaymentStatus } from '../rules/payment-state.js';
import type { Payment } from '../payment.entity.js';

export class CardResponse {
  @ApiProperty({ enum: CARD_BRANDS, example: 'visa' })
  brand: CardBrand;

  @ApiProperty({ example: '4242' })
  last4: string;

  @ApiProperty({ description: 'The first six digits', example: '424242' })
  bin: string;

  @ApiProperty({ example: 12 })
  expiry_month: number;

  @ApiProperty({ example: 2030 })
  expiry_year: number;

  @ApiProperty({ type: String, nullable: true, example: 'Ada Lovelace' })
  holder_name: string | null;

  @ApiProperty({ description: 'Same card, same fingerprint', example: 'fp_7Hq2mC9xLr0pWfZ3aNk1VbTe' })
  fingerprint: string;
}

export class PaymentResponse {
  @ApiProperty({ example: 'pay_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  id: string;

  @ApiProperty({ example: 'mer_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  merchant_id: string;

  @ApiProperty({ enum: PAYMENT_STATUSES, example: 'captured' })
  status: PaymentStatus;

  @ApiProperty({ example: 1050 })
  amount: number;

  @ApiProperty({ example: 'EUR' })
  currency: string;

  @ApiProperty({ example: 1050 })
  amount_captured: number;

  @ApiProperty({ example: 0 })
  amount_refunded: number;

  @ApiProperty({ type: CardResponse })
  card: CardResponse;

  @ApiProperty({ type: String, nullable: true, example: 'bnk_01JDQ3R6Y2ZQ8W1E4R7T0Y3U6I' })
  bank_reference: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'acq_01JDQ3R6X8M2K9V4T7B5N1C0AZ', description: 'The acquirer holding the authorisation; null until one does' })
  acquirer_id: string | null;

  @ApiProperty({ example: true, description: '`false` for a payment made with a test key (`sk_test_…`): it only ever reached the simulator' })
  livemode: boolean;

  @ApiProperty({ type: String, nullable: true, example: null, description: 'Why the bank declined, e.g. `insufficient_funds`' })
  decline_code: string | null;

  @ApiProperty({ type: String, nullable: true, example: null, description: 'Why the bank could not process it, e.g. `processing_error`' })
  failure_reason: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'order-1234' })
  reference: string | null;

  @ApiProperty({ type: String, nullable: true, example: '2 books' })
  description: string | null;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, example: { cart: 'c_81' } })
  metadata: Record<string, string>;

  @ApiProperty({ enum: HISTORY_STATUSES, example: 'active' })
  history_status: HistoryStatus;

  @ApiProperty({ example: '2026-11-25T14:03:11.123Z' })
  created_at: string;

  @ApiProperty({ example: '2026-11-25T14:03:11.456Z' })
  updated_at: string;

  /** The one mapping from a row to the wire: nothing else about a payment is ever sent. */
  static from(payment: Payment): PaymentResponse {
    return {
      id: payment.id,
      merchant_id: payment.merchantId,
      status: payment.status,
      amount: payment.amount,
      currency: payment.currency,
      amount_captured: payment.amountCaptured,
      amount_refunded: payment.amountRefunded,
      card: {
        brand: payment.cardBrand,
        last4: payment.cardLast4,
        bin: payment.cardBin,
        expiry_month: payment.cardExpiryMonth,
        expiry_year: payment.cardExpiryYear,
        holder_name: payment.cardHolderName,
        fingerprint: payment.cardFingerprint,
      },
      bank_reference: payment.bankReference,
      acquirer_id: payment.acquirerId,
      livemode: payment.livemode,
      decline_code: payment.declineCode,
      failure_reason: payment.failureReason,
      reference: payment.reference,
      description: payment.description,
      metadata: payment.metadata,
      history_status: payment.historyStatus,
      created_at: payment.createdAt.toISOString(),
      updated_at: payment.updatedAt.toISOString(),
    };
  }
}

export class PaymentListResponse {
  @ApiProperty({ type: [PaymentResponse] })
  data: PaymentResponse[];

  @ApiProperty({ example: true })
  has_more: boolean;

  @ApiProperty({ type: String, nullable: true, example: 'MjAyNi0xMS0yNVQxNDowMzoxMS4xMjNafHBheV8wMUpEUTNSNlg4TTJLOVY0VDdCNU4xQzBBWg' })
  next_cursor: string | null;
}
