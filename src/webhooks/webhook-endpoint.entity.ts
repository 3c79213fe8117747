import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { Merchant } from '../merchants/merchant.entity.js';

// Constraints and indexes live in migrations/; they are named here so that generate sees no drift.
@Entity({ name: 'webhook_endpoints' })
@Check('webhook_endpoints_id_check', `id ~ '^we_[0-9A-Z]{26}$'`)
@Check('webhook_endpoints_url_check', 'char_length(url) <= 2048')
@Check('webhook_endpoints_status_check', `status IN ('enabled', 'disabled')`)
@Index('webhook_endpoints_merchant_idx', { synchronize: false })
export class WebhookEndpoint {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ name: 'merchant_id', type: 'text' })
  @ForeignKey(() => Merchant, { name: 'webhook_endpoints_merchant_id_fkey' })
  merchantId: string;

  /** False for a test key's endpoint: it receives the events of test payments only. Never changes. */
  @Column({ type: 'boolean', default: true })
  livemode: boolean;

  @Column({ type: 'text' })
  url: string;

  /** Event types, or `*` for all. */
  @Column({ type: 'text', array: true })
  events: string[];

  /** `whs…`: needed in clear to sign; never returned after creation. */
  @Column({ type: 'text' })
  secret: string;

  /** `disabled` after a receiver answered 410 Gone. */
  @Column({ type: 'text' })
  status: 'enabled' | 'disabled';

  @Column({ name: 'disabled_reason', type: 'text', nullable: true })
  disabledReason: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ name: 'deleted_at', type: 'timestamptz', precision: 3, nullable: true })
  deletedAt: Date | null;
}
