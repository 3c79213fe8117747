import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString } from 'class-validator';
import { ListQueryDto } from '../../common/list-query.dto.js';
import { IsTimestamp, MaxCodePoints } from '../../common/validators.js';
import { HISTORY_STATUSES, PAYMENT_STATUSES, type HistoryStatus, type PaymentStatus } from '../rules/payment-state.js';

export class ListPaymentsQuery extends ListQueryDto {
  @ApiPropertyOptional({ enum: PAYMENT_STATUSES })
  @IsOptional()
  @IsIn(PAYMENT_STATUSES)
  status?: PaymentStatus;

  @ApiPropertyOptional({ enum: HISTORY_STATUSES, description: 'Default: everything but `archived`.' })
  @IsOptional()
  @IsIn(HISTORY_STATUSES)
  history_status?: HistoryStatus;

  @ApiPropertyOptional({ description: 'Created at or after (ISO 8601 date-time with a zone, or a date)', example: '2026-11-01T00:00:00.000Z' })
  @IsOptional()
  @IsTimestamp()
  created_gte?: string;

  @ApiPropertyOptional({ description: 'Created before (ISO 8601 date-time with a zone, or a date)', example: '2026-12-01T00:00:00.000Z' })
  @IsOptional()
  @IsTimestamp()
  created_lt?: string;

  @ApiPropertyOptional({ description: 'Exact match', example: 'order-1234' })
  @IsOptional()
  @IsString()
  @MaxCodePoints(128)
  reference?: string;

  @ApiPropertyOptional({ description: 'Admin key only', example: 'mer_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  @IsOptional()
  @IsString()
  merchant_id?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], example: 'false', description: 'Admin key only: live or test payments; default both. A merchant key sees its own mode.' })
  @IsOptional()
  @IsString()
  livemode?: string;
}
