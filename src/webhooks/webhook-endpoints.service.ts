import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { listedMode, modeOf, scopeOf, type Principal } from '../auth/principal.js';
import { Clock } from '../common/clock.js';
import { invalidParam, notFound } from '../common/errors.js';
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
    await this.visible(principal, id);
    await this.repository.deleteEndpoint(id);
  }

  async deliveries(principal: Principal, endpointId: string): Promise<WebhookDeliveryResponse[]> {
    const endpoint = await this.visible(principal, endpointId);
    const rows = await this.repository.deliveries(endpointId, DELIVERIES_LISTED);
    return rows.map(({ delivery, attempts }) => {
      const last = attempts.at(-1);
      return {
        id: delivery.id,
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
        livemode: endpoint.livemode,
        created_at: delivery.created_at.toISOString(),
      };
    });
  }

  async resend(principal: Principal, endpointId: string, deliveryId: string): Promise<void> {
    await this.visible(principal, endpointId);
    if (!isId('webhookDelivery', deliveryId) || !(await this.repository.resend(endpointId, deliveryId))) {
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
