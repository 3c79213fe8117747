import { Column, Entity, ForeignKey, PrimaryColumn } from 'typeorm';
import { Merchant } from '../merchants/merchant.entity.js';
import type { RoutingRule } from './rules/routing.js';

/** A merchant's routing; a merchant without one uses the simulator. */
@Entity({ name: 'merchant_routings' })
export class MerchantRouting {
  @PrimaryColumn({ name: 'merchant_id', type: 'text' })
  @ForeignKey(() => Merchant, { name: 'merchant_routings_merchant_id_fkey' })
  merchantId: string;

  @Column({ type: 'jsonb' })
  rules: RoutingRule[];

  @Column({ name: 'default', type: 'jsonb' })
  default: string[];

  @Column({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
