import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { IsTimestamp } from '../../common/validators.js';
import { PAYMENT_STATUSES, type PaymentStatus } from '../rules/payment-state.js';

export class PaymentSummaryQuery {
  @ApiPropertyOptional({ description: 'Created at or after (ISO 8601 date-time with a zone, or a date)', example: '2026-11-01T00:00:00.000Z' })
  @IsOptional()
  @IsTimestamp()
  created_gte?: string;

  @ApiPropertyOptional({ description: 'Created before (ISO 8601 date-time with a zone, or a date)', example: '2026-12-01T00:00:00.000Z' })
  @IsOptional()
  @IsTimestamp()
  created_lt?: string;

  @ApiPropertyOptional({ description: 'Staff only', example: 'mer_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  @IsOptional()
  @IsString()
  merchant_id?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Live or test payments; default both where the caller sees both.' })
  @IsOptional()
  @IsString()
  livemode?: string;
}

export class CurrencyTotal {
  @ApiProperty({ example: 'EUR' })
  currency: string;

  @ApiProperty({ description: 'Payments in this currency', example: 42 })
  count: number;

  @ApiProperty({ description: 'Approved volume, minor units', example: 125000 })
  amount: number;
}

export class SummaryDay {
  @ApiProperty({ description: 'UTC day', example: '2026-12-01' })
  date: string;

  @ApiProperty({ example: 12 })
  count: number;

  @ApiProperty({ example: 10 })
  approved: number;

  @ApiProperty({ description: 'Approved volume per currency, minor units', example: { EUR: 12500 }, type: 'object', additionalProperties: { type: 'integer' } })
  amount_by_currency: Record<string, number>;
}

export class PaymentSummaryResponse {
  @ApiProperty({ enum: ['payment_summary'] })
  object: 'payment_summary';

  @ApiProperty({ type: [CurrencyTotal] })
  currency_totals: CurrencyTotal[];

  @ApiProperty({
    description: 'Payments per status (every status present, 0 when none)',
    type: 'object',
    properties: Object.fromEntries(PAYMENT_STATUSES.map((status) => [status, { type: 'integer' }])),
    example: { authorized: 3, captured: 10, declined: 2 },
  })
  by_status: Record<PaymentStatus, number>;

  @ApiProperty({ description: 'Approved / (approved + declined); 0 with no decision yet', example: 0.83 })
  approval_rate: number;

  @ApiProperty({ type: [SummaryDay], description: 'UTC days with at least one payment, oldest first' })
  days: SummaryDay[];
}
