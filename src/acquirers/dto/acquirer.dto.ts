import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { IsIntegerIn } from '../../common/validators.js';
import type { AcquirerHealthView } from '../acquirer-health.js';
import type { Acquirer } from '../acquirer.entity.js';

export class CreateAcquirerDto {
  @ApiProperty({ example: 'Acme Acquiring EU', minLength: 1, maxLength: 100 })
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiProperty({ enum: ['http'], description: 'Only `http` acquirers can be added; the simulator is built in.' })
  @IsIn(['http'])
  kind: 'http';

  @ApiProperty({ description: 'https (http only where allowed); no private addresses in production', example: 'https://acquirer.example.com/v1' })
  @IsString()
  @MaxLength(2048)
  base_url: string;

  @ApiProperty({ description: 'Sent as the bearer token of every call; write-only: never returned or logged', example: 'acq_live_…' })
  @IsString()
  @Length(1, 500)
  api_key: string;

  @ApiPropertyOptional({ description: 'Deadline of one call to this acquirer, in ms', example: 2000, default: 2000 })
  @IsOptional()
  @IsIntegerIn(1, 600_000)
  timeout_ms?: number;
}

export class UpdateAcquirerDto {
  @ApiPropertyOptional({ example: 'Acme Acquiring EU', minLength: 1, maxLength: 100 })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  name?: string;

  @ApiPropertyOptional({ example: 'https://acquirer.example.com/v1' })
  @IsOptional()
  @IsString()
  @MaxLength(2048)
  base_url?: string;

  @ApiPropertyOptional({ description: 'Write-only' })
  @IsOptional()
  @IsString()
  @Length(1, 500)
  api_key?: string;

  @ApiPropertyOptional({ example: 2000 })
  @IsOptional()
  @IsIntegerIn(1, 600_000)
  timeout_ms?: number;

  @ApiPropertyOptional({ example: true, description: 'A disabled acquirer is left out of every route' })
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;
}

export class AcquirerHealthResponse {
  @ApiProperty({ enum: ['up', 'down', 'probing'], example: 'up' })
  state: string;

  @ApiProperty({ example: 0 })
  consecutive_failures: number;

  @ApiProperty({ type: String, nullable: true, example: null })
  down_since: string | null;
}

export class AcquirerResponse {
  @ApiProperty({ example: 'acq_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  id: string;

  @ApiProperty({ example: 'Acme Acquiring EU' })
  name: string;

  @ApiProperty({ enum: ['simulator', 'http'], example: 'http' })
  kind: string;

  @ApiProperty({ type: String, nullable: true, example: 'https://acquirer.example.com/v1' })
  base_url: string | null;

  @ApiProperty({ example: 2000 })
  timeout_ms: number;

  @ApiProperty({ example: true })
  enabled: boolean;

  @ApiProperty({ type: AcquirerHealthResponse, description: "This instance's view of the acquirer's health" })
  health: AcquirerHealthView;

  @ApiProperty({ example: '2026-11-25T14:03:11.123Z' })
  created_at: string;

  @ApiProperty({ example: '2026-11-25T14:03:11.123Z' })
  updated_at: string;

  /** Everything but the api key. */
  static from(acquirer: Acquirer, health: AcquirerHealthView): AcquirerResponse {
    return {
      id: acquirer.id,
      name: acquirer.name,
      kind: acquirer.kind,
      base_url: acquirer.baseUrl,
      timeout_ms: acquirer.timeoutMs,
      enabled: acquirer.enabled,
      health,
      created_at: acquirer.createdAt.toISOString(),
      updated_at: acquirer.updatedAt.toISOString(),
    };
  }
}

export class AcquirerListResponse {
  @ApiProperty({ type: [AcquirerResponse] })
  data: AcquirerResponse[];

  @ApiProperty({ example: false })
  has_more: boolean;

  @ApiProperty({ type: String, nullable: true, example: null })
  next_cursor: string | null;
}
