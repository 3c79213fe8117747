import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const ACTOR_TYPES = ['user', 'api_key', 'admin_key', 'operator', 'anonymous'] as const;
export type ActorType = (typeof ACTOR_TYPES)[number];

// Constraints and indexes live in migrations/; they are named here so that generate sees no drift.
@Entity({ name: 'audit_events' })
@Check('audit_events_id_check', `id ~ '^aud_[0-9A-Z]{26}$'`)
@Check('audit_events_actor_type_check', `actor_type IN ('user', 'api_key', 'admin_key', 'operator', 'anonymous')`)
@Index('audit_events_created_idx', { synchronize: false })
@Index('audit_events_merchant_idx', { synchronize: false })
@Index('audit_events_actor_idx', { synchronize: false })
@Index('audit_events_target_idx', { synchronize: false })
export class AuditEvent {
  @PrimaryColumn({ type: 'text' })
  id: string;

  /** `noun.verb`, what was asked: `refund.create`, `api_key.revoke`, `session.sign_in_failed`. */
  @Column({ type: 'text' })
  action: string;

  @Column({ name: 'actor_type', type: 'text' })
  actorType: ActorType;

  /** `usr_…` or `key_…`; null for the configured admin key and for nobody (a failed sign-in). */
  @Column({ name: 'actor_id', type: 'text', nullable: true })
  actorId: string | null;

  /** The merchant the target belongs to, which that merchant's admins see; null for the gateway's own configuration. */
  @Column({ name: 'merchant_id', type: 'text', nullable: true })
  merchantId: string | null;

  @Column({ name: 'target_type', type: 'text' })
  targetType: string;

  @Column({ name: 'target_id', type: 'text' })
  targetId: string;

  @Column({ name: 'request_id', type: 'text', nullable: true })
  requestId: string | null;

  @Column({ name: 'client_ip', type: 'text', nullable: true })
  clientIp: string | null;

  /** The target's fields the action changed, as they were; never a secret. */
  @Column({ type: 'jsonb', nullable: true })
  before: Record<string, unknown> | null;

  @Column({ type: 'jsonb', nullable: true })
  after: Record<string, unknown> | null;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
