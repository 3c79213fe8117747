import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn, Unique } from 'typeorm';
import { User } from '../users/user.entity.js';

// Constraints and indexes live in migrations/; they are named here so that generate sees no drift.
@Entity({ name: 'sessions' })
@Check('sessions_id_check', `id ~ '^ses_[0-9A-Z]{26}$'`)
@Unique('sessions_token_hash_key', ['tokenHash'])
@Index('sessions_user_idx', { synchronize: false })
export class Session {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ name: 'user_id', type: 'text' })
  @ForeignKey(() => User, { name: 'sessions_user_id_fkey' })
  userId: string;

  /** SHA-256 of the cookie's token: the token itself is never stored. */
  @Column({ name: 'token_hash', type: 'text' })
  tokenHash: string;

  /** Sent back in `X-CSRF-Token` by a state-changing request made with the cookie. */
  @Column({ name: 'csrf_token', type: 'text' })
  csrfToken: string;

  @Column({ name: 'client_ip', type: 'text', nullable: true })
  clientIp: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  /** Idle expiry counts from here; moved forward at most once a minute. */
  @Column({ name: 'last_seen_at', type: 'timestamptz', precision: 3 })
  lastSeenAt: Date;

  /** The absolute expiry, fixed at sign-in. */
  @Column({ name: 'expires_at', type: 'timestamptz', precision: 3 })
  expiresAt: Date;

  /** Signed out, password changed, or the user disabled. */
  @Column({ name: 'ended_at', type: 'timestamptz', precision: 3, nullable: true })
  endedAt: Date | null;
}

@Entity({ name: 'sign_in_failures' })
@Check('sign_in_failures_id_check', `id ~ '^sif_[0-9A-Z]{26}$'`)
@Index('sign_in_failures_email_idx', { synchronize: false })
@Index('sign_in_failures_client_ip_idx', { synchronize: false })
export class SignInFailure {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  email: string;

  @Column({ name: 'client_ip', type: 'text' })
  clientIp: string;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
