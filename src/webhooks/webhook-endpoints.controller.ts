import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiCookieAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { ApiErrors, invalid, missing } from '../common/api-errors.decorator.js';
import { IdParamPipe } from '../common/id-param.pipe.js';
import { IdempotencyExempt } from '../idempotency/idempotency-exempt.decorator.js';
import {
  CreatedWebhookEndpointResponse,
  CreateWebhookEndpointDto,
  ListWebhookEndpointsQuery,
  WebhookDeliveryListResponse,
  WebhookEndpointListResponse,
} from './dto/webhook-endpoint.dto.js';
import { WebhookEndpointsService } from './webhook-endpoints.service.js';

const endpointId = () => new IdParamPipe('webhookEndpoint', 'webhook endpoint');

@ApiTags('webhooks')
@ApiCookieAuth('session')
@ApiBearerAuth()
@ApiErrors(401, 429, 500)
@Controller('v1/webhook-endpoints')
export class WebhookEndpointsController {
  constructor(private readonly endpoints: WebhookEndpointsService) {}

  @Post()
  @HttpCode(201)
  @IdempotencyExempt()
  @ApiOperation({
    summary: 'Register a webhook endpoint',
    description:
      'Events of the merchant\'s payments are POSTed to it, signed per Standard Webhooks with the secret shown this once. ' +
      'It takes the mode of the key that registers it (the admin\'s are live): a test endpoint receives test events only.',
  })
  @ApiCreatedResponse({ type: CreatedWebhookEndpointResponse, description: 'The endpoint, with its signing secret shown this once' })
  @ApiErrors(invalid('url', 'url must use https or http'), invalid('events', 'events must be event types (payment.created, payment.captured, …) or "*"'), 413)
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateWebhookEndpointDto): Promise<CreatedWebhookEndpointResponse> {
    return this.endpoints.create(principal, body);
  }

  @Get()
  @ApiOperation({ summary: 'List webhook endpoints (without secrets)', description: 'A merchant key lists its endpoints of its mode; the admin key every merchant\'s. Secrets are shown only once, when an endpoint is registered.' })
  @ApiOkResponse({ type: WebhookEndpointListResponse, description: 'The endpoints' })
  @ApiErrors(invalid('livemode', 'livemode must be true or false'))
  async list(@CurrentPrincipal() principal: Principal, @Query() query: ListWebhookEndpointsQuery): Promise<WebhookEndpointListResponse> {
    return { data: await this.endpoints.list(principal, query.livemode) };
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a webhook endpoint; its pending deliveries stop', description: 'The endpoint receives nothing more; its past deliveries stay listed in `GET /v1/webhook-deliveries`.' })
  @ApiParam({ name: 'id', example: 'we_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrors(missing('webhook endpoint'))
  async delete(@CurrentPrincipal() principal: Principal, @Param('id', endpointId()) id: string): Promise<void> {
    await this.endpoints.delete(principal, id);
  }

  @Get(':id/deliveries')
  @ApiOperation({ summary: "An endpoint's deliveries, newest first, each with every attempt", description: 'The latest 100. For older ones, filters and pages across endpoints, use `GET /v1/webhook-deliveries`.' })
  @ApiParam({ name: 'id', example: 'we_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  @ApiOkResponse({ type: WebhookDeliveryListResponse, description: "The endpoint's latest deliveries" })
  @ApiErrors(missing('webhook endpoint'))
  async deliveries(@CurrentPrincipal() principal: Principal, @Param('id', endpointId()) id: string): Promise<WebhookDeliveryListResponse> {
    return { data: await this.endpoints.deliveries(principal, id) };
  }

  @Post(':id/deliveries/:delivery_id/resend')
  @HttpCode(202)
  @ApiOperation({ summary: 'Send a delivery again (e.g. one that failed)', description: 'The delivery is scheduled now, with the same event id (`webhook-id`), so a receiver that deduplicates on it stays correct.' })
  @ApiParam({ name: 'id', example: 'we_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  @ApiParam({ name: 'delivery_id', example: 'whd_01JDQ3R6X8M2K9V4T7B5N1C0AZ' })
  @ApiAcceptedResponse({ description: 'Scheduled now' })
  @ApiErrors(missing('webhook endpoint'), missing('delivery', 'delivery_id'), 409, 422)
  async resend(
    @CurrentPrincipal() principal: Principal,
    @Param('id', endpointId()) id: string,
    @Param('delivery_id') deliveryId: string,
  ): Promise<void> {
    await this.endpoints.resend(principal, id, deliveryId);
  }
}
