import { Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { WebhookDelivery } from './webhook-delivery.entity.js';

/** Every POST to a receiver, whatever came of it. */
@Entity({ name: 'webhook_attempts' })
@Index('webhook_attempts_delivery_idx', { synchronize: false })
export class WebhookAttempt {
  @PrimaryColumn({ type: 'bigint', generated: 'identity', generatedIdentity: 'ALWAYS', primaryKeyConstraintName: 'webhook_attempts_pkey' })
  id: string;

  @Column({ name: 'delivery_id', type: 'text' })
  @ForeignKey(() => WebhookDelivery, { name: 'webhook_attempts_delivery_id_fkey' })
  deliveryId: string;

  @Column({ type: 'integer' })
  attempt: number;

  @Column({ name: 'response_status', type: 'integer', nullable: true })
  responseStatus: number | null;

  @Column({ name: 'duration_ms', type: 'integer' })
  durationMs: number;

  @Column({ type: 'text', nullable: true })
  error: string | null;

  /** The first kilobyte of the answer. */
  @Column({ name: 'response_body', type: 'text', nullable: true })
  responseBody: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
