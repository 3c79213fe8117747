import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { Merchant } from '../merchants/merchant.entity.js';
import { Payment } from './payment.entity.js';

export type RefundStatus = 'pending' | 'succeeded' | 'failed';

// Constraints and indexes live in migrations/; they are named here so that generate sees no drift.
@Entity({ name: 'refunds' })
@Check('refunds_id_check', `id ~ '^re_[0-9A-Z]{26}$'`)
@Check('refunds_amount_check', 'amount BETWEEN 1 AND 99999999')
@Check('refunds_status_check', `status IN ('pending', 'succeeded', 'failed')`)
@Check('refunds_reason_check', 'char_length(reason) <= 500')
@Index('refunds_payment_idx', { synchronize: false })
@Index('refunds_next_check_idx', { synchronize: false })
@Index('refunds_idempotency_token_idx', { synchronize: false })
export class Refund {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ name: 'payment_id', type: 'text' })
  @ForeignKey(() => Payment, { name: 'refunds_payment_id_fkey' })
  paymentId: string;

  @Column({ name: 'merchant_id', type: 'text' })
  @ForeignKey(() => Merchant, { name: 'refunds_merchant_id_fkey' })
  merchantId: string;

  @Column({ type: 'integer' })
  amount: number;

  /** `pending` only while the bank's answer is unknown; the reconciler settles it. */
  @Column({ type: 'text' })
  status: RefundStatus;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ name: 'failure_reason', type: 'text', nullable: true })
  failureReason: string | null;

  @Column({ name: 'next_check_at', type: 'timestamptz', precision: 3, nullable: true })
  nextCheckAt: Date | null;

  @Column({ name: 'check_attempts', type: 'integer', default: 0 })
  checkAttempts: number;

  /** The token of the Idempotency-Key it was created under, if any: a reclaimed key finds it by this. */
  @Column({ name: 'idempotency_token', type: 'text', nullable: true })
  idempotencyToken: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
