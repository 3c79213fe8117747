import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

export const USER_ROLES = ['admin', 'support'] as const;
export type UserRole = (typeof USER_ROLES)[number];

// Constraints and indexes live in migrations/; they are named here so that generate sees no drift.
@Entity({ name: 'users' })
@Check('users_id_check', `id ~ '^usr_[0-9A-Z]{26}$'`)
@Check('users_role_check', `role IN ('admin', 'support')`)
@Index('users_email_key', { synchronize: false })
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
