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

  @ApiPropertyOptional({ description: 'Created at or after: an ISO 8601 date-time with a zone (`2026-11-01T00:00:00Z`) or a date (`2026-11-01`, midnight UTC)' })
  @IsOptional()
  @IsTimestamp()
  created_gte?: string;

  @ApiPropertyOptional({ description: 'Created before: an ISO 8601 date-time with a zone or a date, as `created_gte`' })
  @IsOptional()
  @IsTimestamp()
  created_lt?: string;

  @ApiPropertyOptional({ description: 'Your reference, matched exactly' })
  @IsOptional()
  @IsString()
  @MaxCodePoints(128)
  reference?: string;

  @ApiPropertyOptional({ description: 'Admin key only: one merchant (`mer_…`); default every merchant' })
  @IsOptional()
  @IsString()
  merchant_id?: string;

  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Admin key only: live or test payments; default both. A merchant key sees its own mode.' })
  @IsOptional()
  @IsString()
  livemode?: string;
}
