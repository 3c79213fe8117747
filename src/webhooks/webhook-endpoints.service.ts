import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { listedMerchant, listedMode, modeOf, scopeOf, type Principal } from '../auth/principal.js';
import { Clock } from '../common/clock.js';
import { invalidParam, notFound } from '../common/errors.js';
import { decodeCursor, toPage, type Page } from '../common/pagination.js';
import { isId, newId } from '../common/ids.js';
import { AppConfig } from '../config/config.js';
import { MerchantsService } from '../merchants/merchants.service.js';
import { outboundUrlRefusal } from '../network/outbound-url-policy.js';
import {
  CreatedWebhookEndpointResponse,
  type CreateWebhookEndpointDto,
  WebhookDeliveryResponse,
  WebhookEndpointResponse,
} from './dto/webhook-endpoint.dto.js';
import type { ListWebhookDeliveriesQuery } from './dto/list-webhook-deliveries.query.js';
import type { WebhookEndpoint } from './webhook-endpoint.entity.js';
import { WebhooksRepository } from './webhooks.repository.js';

const DELIVERIES_LISTED = 100;

@Injectable()
export class WebhookEndpointsService {
  constructor(
    private readonly repository: WebhooksRepository,
    private readonly merchants: MerchantsService,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  async create(principal: Principal, dto: CreateWebhookEndpointDto): Promise<CreatedWebhookEndpointResponse> {
    const merchantId = await this.merchants.resolveOwner(principal, dto.merchant_id);
    await this.assertAcceptableUrl(dto.url);
    const endpoint: WebhookEndpoint = {
      id: newId('webhookEndpoint'),
      merchantId,
      // A test key's endpoint receives test events only; the admin's are live.
      livemode: modeOf(principal),
      url: dto.url,
      events: [...new Set(dto.events)],
      // Standard Webhooks secrets: "whsec_" and the base64 of the HMAC key.
      secret: `whsec_${randomBytes(32).toString('base64')}`,
      status: 'enabled',
      disabledReason: null,
      createdAt: this.clock.now(),
      deletedAt: null,
    };
    await this.repository.insertEndpoint(endpoint);
    return { ...WebhookEndpointResponse.from(endpoint), secret: endpoint.secret };
  }

  async list(principal: Principal, livemode: string | undefined): Promise<WebhookEndpointResponse[]> {
    const mode = listedMode(principal, livemode);
    return (await this.repository.endpoints(scopeOf(principal).merchantId, mode)).map(WebhookEndpointResponse.from);
  }

  async delete(principal: Principal, id: string): Promise<void> {
    await this.repository.deleteEndpoint(await this.visible(principal, id));
  }

  async deliveries(principal: Principal, endpointId: string): Promise<WebhookDeliveryResponse[]> {
    await this.visible(principal, endpointId);
    return (await this.repository.deliveries(endpointId, DELIVERIES_LISTED)).map(WebhookDeliveryResponse.from);
  }

  /** Every visible endpoint's deliveries, newest first, filtered and paged. */
  async listDeliveries(principal: Principal, query: ListWebhookDeliveriesQuery): Promise<Page<WebhookDeliveryResponse>> {
    const merchantId = listedMerchant(principal, query.merchant_id);
    const livemode = listedMode(principal, query.livemode);
    if (query.endpoint_id !== undefined && !isId('webhookEndpoint', query.endpoint_id)) {
      throw invalidParam('endpoint_id', 'endpoint_id is not a webhook endpoint id');
    }
    const rows = await this.repository.listDeliveries({
      merchantId,
      livemode,
      endpointId: query.endpoint_id,
      status: query.status,
      after: query.cursor === undefined ? undefined : decodeCursor(query.cursor),
      limit: query.limit + 1,
    });
    return toPage(
      rows.map((row) => ({ ...row, createdAt: row.delivery.created_at, id: row.delivery.id })),
      query.limit,
      WebhookDeliveryResponse.from,
    );
  }

  async resend(principal: Principal, endpointId: string, deliveryId: string): Promise<void> {
    const endpoint = await this.visible(principal, endpointId);
    if (!isId('webhookDelivery', deliveryId) || !(await this.repository.resend(endpoint, deliveryId))) {
      throw notFound('delivery', 'delivery_id');
    }
  }

  /** A merchant key sees its merchant's endpoints of its own mode only; a 404 otherwise. */
  private async visible(principal: Principal, id: string): Promise<WebhookEndpoint> {
    const endpoint = await this.repository.findEndpoint(id, scopeOf(principal));
    if (!endpoint) throw notFound('webhook endpoint');
    return endpoint;
  }

  /** The URL's shape, then (unless private targets are allowed) where its host resolves to now. */
  private async assertAcceptableUrl(url: string): Promise<void> {
    const refusal = await outboundUrlRefusal(url, {
      allowHttp: this.config.webhooksAllowHttp,
      allowPrivate: this.config.webhooksAllowPrivate,
      resolveTimeoutMs: this.config.webhookTimeoutMs,
    });
    if (refusal) throw invalidParam('url', refusal);
  }
}
