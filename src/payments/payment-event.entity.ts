import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { Payment } from './payment.entity.js';

/**
 * One row per change of a payment, written in the same transaction as the change:
 * the payment's history, and the outbox that webhooks are delivered from.
 */
// Constraints and indexes live in migrations/; they are named here so that generate sees no drift.
@Entity({ name: 'payment_events' })
@Check('payment_events_id_check', `id ~ '^evt_[0-9A-Z]{26}$'`)
@Index('payment_events_payment_idx', { synchronize: false })
export class PaymentEvent {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ name: 'payment_id', type: 'text' })
  @ForeignKey(() => Payment, { name: 'payment_events_payment_id_fkey' })
  paymentId: string;

  /** Its payment's merchant (no foreign key of its own: see migration SharedParentKeysOut). */
  @Column({ name: 'merchant_id', type: 'text' })
  merchantId: string;

  /** Commit order within a payment: the events route lists by it. */
  @Column({ type: 'bigint', generated: 'identity', generatedIdentity: 'ALWAYS', insert: false, update: false, select: false })
  seq?: string;

  @Column({ type: 'text' })
  type: string;

  /** The object as it was right after the change (the wire shape, without card data beyond the contract's). */
  @Column({ type: 'jsonb' })
  data: { object: object };

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
