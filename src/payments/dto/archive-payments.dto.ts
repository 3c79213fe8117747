import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';
import { IsTimestamp } from '../../common/validators.js';

export class ArchivePaymentsDto {
  @ApiProperty({ description: 'Archive payments created before this instant (ISO 8601 date-time with a zone, or a date)', example: '2026-11-01T00:00:00.000Z' })
  @IsTimestamp()
  created_lt: string;

  @ApiPropertyOptional({ description: 'Only this merchant\'s payments (`mer_…`); default every merchant' })
  @IsOptional()
  @IsString()
  merchant_id?: string;
}

export class ArchivedCountResponse {
  @ApiProperty({ example: 42 })
  archived: number;
}
