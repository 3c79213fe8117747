import { Module } from '@nestjs/common';
import { MerchantsModule } from '../merchants/merchants.module.js';
import { WebhookDeliveriesController } from './webhook-deliveries.controller.js';
import { WebhookDispatcher } from './webhook-dispatcher.js';
import { WebhookEndpointsController } from './webhook-endpoints.controller.js';
import { WebhookEndpointsService } from './webhook-endpoints.service.js';
import { WebhooksRepository } from './webhooks.repository.js';

@Module({
  imports: [MerchantsModule],
  controllers: [WebhookEndpointsController, WebhookDeliveriesController],
  providers: [WebhookEndpointsService, WebhooksRepository, WebhookDispatcher],
})
export class WebhooksModule {}
