import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { Role } from './principal.js';

@Entity({ name: 'api_keys' })
export class ApiKey {
  @PrimaryColumn({ type: 'text' })
  id: string;

  /** Null for the generated bootstrap admin key. */
  @Column({ name: 'merchant_id', type: 'text', nullable: true })
  merchantId: string | null;

  @Column({ type: 'text' })
  role: Role;

  /** The first characters of the key, shown to help people tell keys apart. */
  @Column({ type: 'text' })
  prefix: string;

  /** SHA-256 of the key: keys are 190-bit random strings, so a fast hash cannot be brute-forced. */
  @Column({ name: 'key_hash', type: 'text' })
  keyHash: string;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', precision: 3, nullable: true })
  revokedAt: Date | null;
}
