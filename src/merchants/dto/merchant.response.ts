import { ApiProperty } from '@nestjs/swagger';
import type { Merchant } from '../merchant.entity.js';

export class MerchantResponse {
  @ApiProperty({ example: 'mer_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  id: string;

  @ApiProperty({ example: 'Acme Books' })
  name: string;

  @ApiProperty({ example: '2026-11-25T14:03:11.123Z' })
  created_at: string;

  static from(merchant: Merchant): MerchantResponse {
    return { id: merchant.id, name: merchant.name, created_at: merchant.createdAt.toISOString() };
  }
}

export class MerchantListResponse {
  @ApiProperty({ type: [MerchantResponse] })
  data: MerchantResponse[];

  @ApiProperty()
  has_more: boolean;

  @ApiProperty({ type: String, nullable: true })
  next_cursor: string | null;
}
