import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn, Unique } from 'typeorm';
import { PaymentEvent } from '../payments/payment-event.entity.js';
import { WebhookEndpoint } from './webhook-endpoint.entity.js';

export const DELIVERY_STATUSES = ['pending', 'succeeded', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** One event for one endpoint, created by the fan-out trigger on payment_events. */
@Entity({ name: 'webhook_deliveries' })
@Check('webhook_deliveries_id_check', `id ~ '^whd_[0-9A-Z]{26}$'`)
@Check('webhook_deliveries_status_check', `status IN ('pending', 'succeeded', 'failed')`)
@Unique('webhook_deliveries_endpoint_event_key', ['endpointId', 'eventId'])
@Index('webhook_deliveries_due_idx', { synchronize: false })
@Index('webhook_deliveries_endpoint_idx', { synchronize: false })
@Index('webhook_deliveries_created_idx', { synchronize: false })
export class WebhookDelivery {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ name: 'endpoint_id', type: 'text' })
  @ForeignKey(() => WebhookEndpoint, { name: 'webhook_deliveries_endpoint_id_fkey' })
  endpointId: string;

  @Column({ name: 'event_id', type: 'text' })
  @ForeignKey(() => PaymentEvent, { name: 'webhook_deliveries_event_id_fkey' })
  eventId: string;

  @Column({ type: 'text' })
  status: DeliveryStatus;

  @Column({ type: 'integer' })
  attempts: number;

  /** Due time while pending; also the lease of the instance sending it. */
  @Column({ name: 'next_attempt_at', type: 'timestamptz', precision: 3, nullable: true })
  nextAttemptAt: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
