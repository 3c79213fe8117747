import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { ListQueryDto } from '../../common/list-query.dto.js';
import { IsTimestamp } from '../../common/validators.js';
import { ACTOR_TYPES, type ActorType } from '../audit-event.entity.js';

export class ListAuditEventsQuery extends ListQueryDto {
  @ApiPropertyOptional({ description: 'Who acted: a user (`usr_…`) or an API key (`key_…`)', example: 'usr_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  actor_id?: string;

  @ApiPropertyOptional({ description: 'One action, matched exactly', example: 'refund.create' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  action?: string;

  @ApiPropertyOptional({ description: 'What was acted on: a payment, key, user, endpoint… id', example: 'pay_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  target_id?: string;

  @ApiPropertyOptional({ description: 'At or after: an ISO 8601 date-time with a zone, or a date (midnight UTC)' })
  @IsOptional()
  @IsTimestamp()
  created_gte?: string;

  @ApiPropertyOptional({ description: 'Before: as `created_gte`' })
  @IsOptional()
  @IsTimestamp()
  created_lt?: string;

  @ApiPropertyOptional({ description: 'Staff only: one merchant (`mer_…`)' })
  @IsOptional()
  @IsString()
  merchant_id?: string;
}

export class AuditActorResponse {
  @ApiProperty({ enum: ACTOR_TYPES, example: 'user', description: '`operator`: the server itself (`npm run user:create`, the first admin made at the first start); `anonymous`: nobody signed in (a failed sign-in)' })
  type: ActorType;

  @ApiProperty({ type: String, nullable: true, example: 'usr_01JDQ3R6X8M2K9V4T7B5N1C0AZ', description: 'Null for the configured admin key and for nobody' })
  id: string | null;

  @ApiProperty({ example: 'grace@example.com', description: "A user's email, a key's prefix, `admin key`, `operator` or `anonymous`" })
  label: string;
}

export class AuditTargetResponse {
  @ApiProperty({ example: 'payment' })
  type: string;

  @ApiProperty({ example: 'pay_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  id: string;
}

export class AuditEventResponse {
  @ApiProperty({ example: 'aud_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  id: string;

  @ApiProperty({ example: 'audit_event' })
  object: 'audit_event';

  @ApiProperty({ example: 'refund.create', description: '`noun.verb`: what was asked' })
  action: string;

  @ApiProperty({ type: AuditActorResponse })
  actor: AuditActorResponse;

  @ApiProperty({ type: AuditTargetResponse })
  target: AuditTargetResponse;

  @ApiProperty({ type: String, nullable: true, example: 'mer_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  merchant_id: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'req_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  request_id: string | null;

  @ApiProperty({ type: String, nullable: true, example: '127.0.0.1' })
  client_ip: string | null;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, example: { status: 'captured', amount_refunded: 0 }, description: 'The fields the action changed, as they were' })
  before: Record<string, unknown> | null;

  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true, example: { refund_id: 're_01JDQ3R6X8M2K9V4T7B5N1C0AZ', amount: 500 }, description: 'As they became' })
  after: Record<string, unknown> | null;

  @ApiProperty({ example: '2026-12-04T10:00:00.000Z' })
  created_at: string;
}

export class AuditEventListResponse {
  @ApiProperty({ type: [AuditEventResponse] })
  data: AuditEventResponse[];

  @ApiProperty({ example: false })
  has_more: boolean;

  @ApiProperty({ type: String, nullable: true, example: null })
  next_cursor: string | null;
}
