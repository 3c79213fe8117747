import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import type { Principal } from '../auth/principal.js';
import { ApiErrors, invalid } from '../common/api-errors.decorator.js';
import type { Page } from '../common/pagination.js';
import { WebhookDeliveryPageResponse, type WebhookDeliveryResponse } from './dto/webhook-endpoint.dto.js';
import { ListWebhookDeliveriesQuery } from './dto/list-webhook-deliveries.query.js';
import { WebhookEndpointsService } from './webhook-endpoints.service.js';

@ApiTags('webhooks')
@ApiCookieAuth('session')
@ApiBearerAuth()
@ApiErrors(401, 429, 500)
@Controller('v1/webhook-deliveries')
export class WebhookDeliveriesController {
  constructor(private readonly endpoints: WebhookEndpointsService) {}

  @Get()
  @ApiOperation({
    summary: 'Deliveries across endpoints, newest first',
    description:
      "Every endpoint's deliveries the key can see (a merchant key: its own, of its mode; the admin key: every merchant's), " +
      'each with its attempts; filter by `status` (e.g. `failed`, to find what to resend), endpoint, merchant or mode, and page with `cursor`.',
  })
  @ApiOkResponse({ type: WebhookDeliveryPageResponse, description: 'A page of deliveries' })
  @ApiErrors(invalid('status', 'status must be one of the following values: pending, succeeded, failed'), invalid('cursor', 'cursor is not a cursor this API returned'))
  list(@CurrentPrincipal() principal: Principal, @Query() query: ListWebhookDeliveriesQuery): Promise<Page<WebhookDeliveryResponse>> {
    return this.endpoints.listDeliveries(principal, query);
  }
}
