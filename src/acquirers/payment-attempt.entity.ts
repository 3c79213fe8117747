import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { Payment } from '../payments/payment.entity.js';

/**
 * One try of a payment at one acquirer. Its id is the acquirer's reference (and the
 * Idempotency-Key of the authorisation sent); `outcome` is null while the acquirer is being
 * asked, so a process that dies then leaves the reconciler something to look up.
 */
@Entity({ name: 'payment_attempts' })
@Check('payment_attempts_id_check', `id ~ '^att_[0-9A-Z]{26}$'`)
@Check('payment_attempts_outcome_check', `outcome IN ('approved', 'declined', 'not_processed', 'unknown', 'error', 'skipped')`)
@Index('payment_attempts_payment_idx', ['paymentId', 'createdAt', 'id'])
export class PaymentAttempt {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ name: 'payment_id', type: 'text' })
  @ForeignKey(() => Payment, { name: 'payment_attempts_payment_id_fkey' })
  paymentId: string;

  /** No foreign key: see migration SharedParentKeysOut. */
  @Column({ name: 'acquirer_id', type: 'text' })
  acquirerId: string;

  @Column({ type: 'text', nullable: true })
  outcome: string | null;

  @Column({ name: 'decline_code', type: 'text', nullable: true })
  declineCode: string | null;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  @Column({ name: 'http_status', type: 'integer', nullable: true })
  httpStatus: number | null;

  @Column({ name: 'duration_ms', type: 'integer', nullable: true })
  durationMs: number | null;

  @Column({ name: 'acquirer_reference', type: 'text', nullable: true })
  acquirerReference: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
