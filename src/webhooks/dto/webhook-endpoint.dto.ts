import type { DeliveryWithAttempts } from '../webhooks.repository.js';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { EVENT_TYPES } from '../../payments/payment-events.js';
import type { WebhookEndpoint } from '../webhook-endpoint.entity.js';

export const EVENT_FILTERS = ['*', ...EVENT_TYPES];

export class CreateWebhookEndpointDto {
  @ApiProperty({ description: 'https (http only where allowed); no private addresses in production', example: 'https://shop.example.com/webhooks' })
  @IsString()
  @MaxLength(2048)
  url: string;

  @ApiProperty({ type: [String], enum: EVENT_FILTERS, example: ['payment.captured', 'refund.succeeded'], description: '`["*"]` for every event' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(EVENT_FILTERS.length)
  @IsIn(EVENT_FILTERS, { each: true, message: `events must be event types (${EVENT_TYPES.join(', ')}) or "*"` })
  events: string[];

  @ApiPropertyOptional({ description: 'Admin key only (and required for it): the merchant the endpoint is for (`mer_…`).' })
  @IsOptional()
  @IsString()
  merchant_id?: string;
}

export class WebhookEndpointResponse {
  @ApiProperty({ example: 'we_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  id: string;

  @ApiProperty({ example: 'mer_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  merchant_id: string;

  @ApiProperty({ example: 'https://shop.example.com/webhooks' })
  url: string;

  @ApiProperty({ type: [String], example: ['payment.captured'] })
  events: string[];

  @ApiProperty({ enum: ['enabled', 'disabled'], example: 'enabled', description: '`disabled` after the receiver answered 410 Gone' })
  status: string;

  @ApiProperty({ description: '`false` for a test key\'s endpoint, which receives the events of test payments only', example: true })
  livemode: boolean;

  @ApiProperty({ example: '2026-11-25T14:03:11.123Z' })
  created_at: string;

  static from(endpoint: WebhookEndpoint): WebhookEndpointResponse {
    return {
      id: endpoint.id,
      merchant_id: endpoint.merchantId,
      url: endpoint.url,
      events: endpoint.events,
      status: endpoint.status,
      livemode: endpoint.livemode,
      created_at: endpoint.createdAt.toISOString(),
    };
  }
}

export class CreatedWebhookEndpointResponse extends WebhookEndpointResponse {
  @ApiProperty({ description: 'The signing secret, shown this once', example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' })
  secret: string;
}

export class ListWebhookEndpointsQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Admin key only: live or test endpoints; default both. A merchant key sees its own mode.' })
  @IsOptional()
  @IsString()
  livemode?: string;
}

export class WebhookEndpointListResponse {
  @ApiProperty({ type: [WebhookEndpointResponse] })
  data: WebhookEndpointResponse[];
}

export class WebhookAttemptResponse {
  @ApiProperty({ example: 1 })
  attempt: number;

  @ApiProperty({ type: Number, nullable: true, example: 500 })
  response_status: number | null;

  @ApiProperty({ example: 120 })
  duration_ms: number;

  @ApiProperty({ type: String, nullable: true, example: null })
  error: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The first kilobyte of the answer', example: 'ok' })
  response_body: string | null;

  @ApiProperty({ example: '2026-11-25T14:03:11.123Z' })
  created_at: string;
}

export class WebhookDeliveryResponse {
  @ApiProperty({ example: 'whd_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  id: string;

  @ApiProperty({ example: 'we_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  endpoint_id: string;

  @ApiProperty({ example: 'evt_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  event_id: string;

  @ApiProperty({ example: 'payment.captured' })
  event_type: string;

  @ApiProperty({ description: 'Attempts made so far', example: 1 })
  attempt: number;

  @ApiProperty({ enum: ['succeeded', 'failed', 'pending'], example: 'succeeded' })
  status: string;

  @ApiProperty({ type: Number, nullable: true, description: 'Of the last attempt', example: 200 })
  response_status: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Of the last attempt', example: 42 })
  duration_ms: number | null;

  @ApiProperty({ type: String, nullable: true, description: 'Of the last attempt', example: null })
  error: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'When the next attempt is due, while pending', example: null })
  next_attempt_at: string | null;

  @ApiProperty({ type: [WebhookAttemptResponse], description: 'Every attempt, oldest first' })
  attempts: WebhookAttemptResponse[];

  @ApiProperty({ description: "The endpoint's mode (and so the event's)", example: true })
  livemode: boolean;

  @ApiProperty({ example: '2026-11-25T14:03:11.123Z' })
  created_at: string;

  static from({ delivery, attempts }: DeliveryWithAttempts): WebhookDeliveryResponse {
    const last = attempts.at(-1);
    return {
      id: delivery.id,
      endpoint_id: delivery.endpoint_id,
      event_id: delivery.event_id,
      event_type: delivery.event_type,
      attempt: delivery.attempts,
      status: delivery.status,
      response_status: last?.responseStatus ?? null,
      duration_ms: last?.durationMs ?? null,
      error: last?.error ?? null,
      next_attempt_at: delivery.status === 'pending' ? (delivery.next_attempt_at?.toISOString() ?? null) : null,
      attempts: attempts.map((attempt) => ({
        attempt: attempt.attempt,
        response_status: attempt.responseStatus,
        duration_ms: attempt.durationMs,
        error: attempt.error,
        response_body: attempt.responseBody,
        created_at: attempt.createdAt.toISOString(),
      })),
      // A delivery has no mode of its own: its endpoint's, which is its event's.
      livemode: delivery.livemode,
      created_at: delivery.created_at.toISOString(),
    };
  }
}

export class WebhookDeliveryPageResponse {
  @ApiProperty({ type: [WebhookDeliveryResponse] })
  data: WebhookDeliveryResponse[];

  @ApiProperty({ example: false })
  has_more: boolean;

  @ApiProperty({ type: String, nullable: true, description: 'Pass as `cursor` for the next page', example: null })
  next_cursor: string | null;
}

export class WebhookDeliveryListResponse {
  @ApiProperty({ type: [WebhookDeliveryResponse] })
  data: WebhookDeliveryResponse[];
}
