import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A POST's Idempotency-Key: in flight while the first request runs, then its response, kept 24 h or more. */
@Entity({ name: 'idempotency_keys' })
@Check('idempotency_keys_key_check', 'char_length(key) BETWEEN 1 AND 255')
@Check('idempotency_keys_status_check', `status IN ('in_flight', 'completed')`)
@Index('idempotency_keys_created_idx', { synchronize: false })
export class IdempotencyKey {
  /** The merchant id, or `admin`: keys never collide across callers. */
  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'idempotency_keys_pkey' })
  scope: string;

  @PrimaryColumn({ type: 'text', primaryKeyConstraintName: 'idempotency_keys_pkey' })
  key: string;

  /** HMAC of method, path and body: a card number in the body cannot be recovered from it. */
  @Column({ type: 'text' })
  fingerprint: string;

  @Column({ type: 'text' })
  status: 'in_flight' | 'completed';

  @Column({ name: 'response_status', type: 'integer', nullable: true })
  responseStatus: number | null;

  @Column({ name: 'response_body', type: 'text', nullable: true })
  responseBody: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
