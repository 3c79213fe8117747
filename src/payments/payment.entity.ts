import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { Merchant } from '../merchants/merchant.entity.js';
import { CARD_BRANDS, type CardBrand } from './rules/card.js';
import { HISTORY_STATUSES, PAYMENT_STATUSES, type BankOperation, type HistoryStatus, type PaymentStatus } from './rules/payment-state.js';

/** A payment row. Never the card number or CVV: only what may be shown again. */
// Constraints and indexes live in migrations/; they are named here so that generate sees no drift.
@Entity({ name: 'payments' })
@Check('payments_id_check', `id ~ '^pay_[0-9A-Z]{26}$'`)
@Check('payments_status_check', `status IN (${PAYMENT_STATUSES.map((s) => `'${s}'`).join(', ')})`)
@Check('payments_payment_history_status_check', `payment_history_status IN (${HISTORY_STATUSES.map((s) => `'${s}'`).join(', ')})`)
@Check('payments_amount_check', 'amount BETWEEN 1 AND 99999999')
@Check('payments_currency_check', `currency ~ '^[A-Z]{3}$'`)
@Check('payments_amount_captured_check', 'amount_captured BETWEEN 0 AND amount')
@Check('payments_amount_refunded_check', 'amount_refunded BETWEEN 0 AND amount_captured')
@Check('payments_card_brand_check', `card_brand IN (${CARD_BRANDS.map((s) => `'${s}'`).join(', ')})`)
@Check('payments_card_bin_check', `card_bin ~ '^[0-9]{6}$'`)
@Check('payments_card_last4_check', `card_last4 ~ '^[0-9]{4}$'`)
@Check('payments_card_expiry_month_check', 'card_expiry_month BETWEEN 1 AND 12')
@Check('payments_card_expiry_year_check', 'card_expiry_year BETWEEN 1000 AND 9999')
@Check('payments_card_holder_name_check', 'char_length(card_holder_name) <= 100')
@Check('payments_reference_check', 'char_length(reference) <= 128')
@Check('payments_description_check', 'char_length(description) <= 500')
@Check('payments_metadata_check', `jsonb_typeof(metadata) = 'object'`)
@Index('payments_created_idx', { synchronize: false })
@Check('payments_bank_operation_check', `bank_operation IN ('capture', 'void', 'expire')`)
@Check('payments_refund_total_check', 'amount_refunded + amount_refund_pending <= amount_captured')
@Index('payments_next_check_idx', { synchronize: false })
@Index('payments_authorized_created_idx', { synchronize: false })
@Index('payments_idempotency_token_idx', { synchronize: false })
@Index('payments_merchant_mode_created_idx', { synchronize: false })
@Index('payments_merchant_mode_status_created_idx', { synchronize: false })
@Index('payments_merchant_mode_history_created_idx', { synchronize: false })
@Index('payments_merchant_mode_reference_idx', { synchronize: false })
export class Payment {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ name: 'merchant_id', type: 'text' })
  @ForeignKey(() => Merchant, { name: 'payments_merchant_id_fkey' })
  merchantId: string;

  /** False for a test key's payment: the simulator only, seen by test keys only. Never changes. */
  @Column({ type: 'boolean', default: true })
  livemode: boolean;

  @Column({ type: 'text' })
  status: PaymentStatus;

  @Column({ name: 'payment_history_status', type: 'text' })
  historyStatus: HistoryStatus;

  /** Minor units of `currency`. */
  @Column({ type: 'integer' })
  amount: number;

  @Column({ type: 'char', length: 3 })
  currency: string;

  /** Whether the merchant asked to capture at once (`capture: true`). */
  @Column({ name: 'capture_requested', type: 'boolean' })
  captureRequested: boolean;

  @Column({ name: 'amount_captured', type: 'integer' })
  amountCaptured: number;

  @Column({ name: 'amount_refunded', type: 'integer' })
  amountRefunded: number;

  /** Refunds sent to the bank and not answered yet: reserved, so that refunds never exceed the capture. */
  @Column({ name: 'amount_refund_pending', type: 'integer', default: 0 })
  amountRefundPending: number;

  /** A capture, void or expiry sent to the bank and not settled yet; at most one at a time. */
  @Column({ name: 'bank_operation', type: 'text', nullable: true })
  bankOperation: BankOperation | null;

  @Column({ name: 'bank_operation_amount', type: 'integer', nullable: true })
  bankOperationAmount: number | null;

  /** When the reconciler should next ask the bank about an unsettled outcome. */
  @Column({ name: 'next_check_at', type: 'timestamptz', precision: 3, nullable: true })
  nextCheckAt: Date | null;

  @Column({ name: 'check_attempts', type: 'integer', default: 0 })
  checkAttempts: number;

  @Column({ name: 'card_brand', type: 'text' })
  cardBrand: CardBrand;

  @Column({ name: 'card_bin', type: 'char', length: 6 })
  cardBin: string;

  @Column({ name: 'card_last4', type: 'char', length: 4 })
  cardLast4: string;

  @Column({ name: 'card_expiry_month', type: 'smallint' })
  cardExpiryMonth: number;

  @Column({ name: 'card_expiry_year', type: 'smallint' })
  cardExpiryYear: number;

  @Column({ name: 'card_holder_name', type: 'text', nullable: true })
  cardHolderName: string | null;

  @Column({ name: 'card_fingerprint', type: 'text' })
  cardFingerprint: string;

  @Column({ name: 'bank_reference', type: 'text', nullable: true })
  bankReference: string | null;

  /** The acquirer holding the authorisation; null until one does (no foreign key: see migration SharedParentKeysOut). */
  @Column({ name: 'acquirer_id', type: 'text', nullable: true })
  acquirerId: string | null;

  @Column({ name: 'decline_code', type: 'text', nullable: true })
  declineCode: string | null;

  @Column({ name: 'failure_reason', type: 'text', nullable: true })
  failureReason: string | null;

  @Column({ type: 'text', nullable: true })
  reference: string | null;

  @Column({ type: 'text', nullable: true })
  description: string | null;

  @Column({ type: 'jsonb' })
  metadata: Record<string, string>;

  /** The token of the Idempotency-Key it was created under, if any: a reclaimed key finds it by this. */
  @Column({ name: 'idempotency_token', type: 'text', nullable: true })
  idempotencyToken: string | null;

  /** The token of the Idempotency-Key of the last capture or void claimed on it, if any. */
  @Column({ name: 'operation_idempotency_token', type: 'text', nullable: true })
  operationIdempotencyToken: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
