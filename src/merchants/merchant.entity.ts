import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

// Constraints and indexes live in migrations/; they are named here so that generate sees no drift.
@Entity({ name: 'merchants' })
@Check('merchants_id_check', `id ~ '^mer_[0-9A-Z]{26}$'`)
@Check('merchants_name_check', 'char_length(name) BETWEEN 1 AND 200')
@Index('merchants_created_idx', { synchronize: false })
export class Merchant {
  @PrimaryColumn({ type: 'text' })
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
