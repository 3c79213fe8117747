import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * A POST's Idempotency-Key: in flight while the first request runs, then its response, kept
 * 24 h or more. An in-flight key with a lease may be reclaimed once the lease has expired.
 */
@Entity({ name: 'idempotency_keys' })
@Check('idempotency_keys_key_check', 'char_length(key) BETWEEN 1 AND 255')
@Check('idempotency_keys_status_check', `status IN ('in_flight', 'completed')`)
@Index('idempotency_keys_created_idx', { synchronize: false })
export class IdempotencyKey {
  /** The merchant id (`mer_…:test` for its test keys), or `admin`: keys never collide across callers or modes. */
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

  /**
   * Recorded on what the request creates (`payments.idempotency_token`,
   * `refunds.idempotency_token`), so that a reclaim finds it. Kept across reclaims; null on a
   * route that cannot be reclaimed.
   */
  @Column({ type: 'text', nullable: true })
  token: string | null;

  /**
   * Until when the request holding the key is presumed alive; also tells that holder apart
   * from a later one. Null: never reclaimed (a route whose effect cannot be found, or a key
   * from before leases).
   */
  @Column({ name: 'lease_expires_at', type: 'timestamptz', precision: 3, nullable: true })
  leaseExpiresAt: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
