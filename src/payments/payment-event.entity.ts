import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One row per change of a payment, written in the same transaction as the change:
 * the payment's history, and the outbox that webhooks are delivered from.
 */
@Entity({ name: 'payment_events' })
export class PaymentEvent {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ name: 'payment_id', type: 'text' })
  paymentId: string;

  @Column({ name: 'merchant_id', type: 'text' })
  merchantId: string;

  @Column({ type: 'text' })
  type: string;

  /** The object as it was right after the change (the wire shape, without card data beyond the contract's). */
  @Column({ type: 'jsonb' })
  data: { object: object };

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
