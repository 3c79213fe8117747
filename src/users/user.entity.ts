import { Check, Column, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';
import { Merchant } from '../merchants/merchant.entity.js';

/** Staff of the gateway's operator (`admin`, `support`), or people of one merchant. */
export const USER_ROLES = ['admin', 'support', 'merchant_admin', 'merchant_viewer'] as const;
export const MERCHANT_USER_ROLES = ['merchant_admin', 'merchant_viewer'] as const;
export type UserRole = (typeof USER_ROLES)[number];
export type MerchantUserRole = (typeof MERCHANT_USER_ROLES)[number];

export const isMerchantRole = (role: UserRole): role is MerchantUserRole => role === 'merchant_admin' || role === 'merchant_viewer';

// Constraints and indexes live in migrations/; they are named here so that generate sees no drift.
@Entity({ name: 'users' })
@Check('users_id_check', `id ~ '^usr_[0-9A-Z]{26}$'`)
@Check('users_role_check', `role IN ('admin', 'support', 'merchant_admin', 'merchant_viewer')`)
@Check('users_merchant_role_check', `(role IN ('merchant_admin', 'merchant_viewer')) = (merchant_id IS NOT NULL)`)
@Index('users_email_key', { synchronize: false })
@Index('users_merchant_idx', { synchronize: false })
export class User {
  @PrimaryColumn({ type: 'text' })
  id: string;

  /** As given; unique whatever its case. */
  @Column({ type: 'text' })
  email: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  role: UserRole;

  /** The one merchant of a merchant role; null for staff. */
  @Column({ name: 'merchant_id', type: 'text', nullable: true })
  @ForeignKey(() => Merchant, { name: 'users_merchant_id_fkey' })
  merchantId: string | null;

  /** argon2id, with its parameters and salt (PHC string). */
  @Column({ name: 'password_hash', type: 'text' })
  passwordHash: string;

  @Column({ type: 'boolean', default: false })
  disabled: boolean;

  @Column({ name: 'last_login_at', type: 'timestamptz', precision: 3, nullable: true })
  lastLoginAt: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
