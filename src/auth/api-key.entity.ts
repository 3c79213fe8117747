import { Merchant } from '../merchants/merchant.entity.js';
import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn, Unique } from 'typeorm';
import type { Role } from './principal.js';

// Constraints and indexes live in migrations/; they are named here so that generate sees no drift.
@Entity({ name: 'api_keys' })
@Check('api_keys_id_check', `id ~ '^key_[0-9A-Z]{26}$'`)
@Check('api_keys_role_check', `role IN ('admin', 'merchant')`)
@Check('api_keys_merchant_role_check', `(role = 'merchant') = (merchant_id IS NOT NULL)`)
@Unique('api_keys_key_hash_key', ['keyHash'])
@Index('api_keys_merchant_idx', { synchronize: false })
@Index('api_keys_one_admin_idx', { synchronize: false })
export class ApiKey {
  @PrimaryColumn({ type: 'text' })
  id: string;

  /** Null for the generated bootstrap admin key. */
  @Column({ name: 'merchant_id', type: 'text', nullable: true })
  @ForeignKey(() => Merchant, { name: 'api_keys_merchant_id_fkey' })
  merchantId: string | null;

  @Column({ type: 'text' })
  role: Role;

  /** The first characters of the key, shown to help people tell keys apart. */
  @Column({ type: 'text' })
  prefix: string;

  /** SHA-256 of the key: keys are 190-bit random strings, so a fast hash cannot be brute-forced. */
  @Column({ name: 'key_hash', type: 'text' })
  keyHash: string;

  /** A merchant key's mode: false for `sk_test_…` keys. Meaningless for the admin key, which sees both. */
  @Column({ type: 'boolean', default: true })
  livemode: boolean;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', precision: 3, nullable: true })
  revokedAt: Date | null;
}
