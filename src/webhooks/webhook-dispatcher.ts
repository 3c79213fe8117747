import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Webhook } from 'standardwebhooks';
import { IntervalLoop } from '../common/interval-loop.js';
import { webhookDeliveries } from '../metrics/metrics.js';
import { AppConfig } from '../config/config.js';
import { outboundAgents, type OutboundAgents } from '../network/outbound-url-policy.js';
import { MAX_ATTEMPTS, MAX_RETRY_AFTER_MS, retryAfterMs, retryDelayMs } from './retry-schedule.js';
import { sendWebhook } from './webhook-sender.js';
import { WebhooksRepository, type DueDelivery } from './webhooks.repository.js';

const BATCH = 50;

/**
 * Sends what the event outbox fanned out: in every instance, claiming due deliveries with
 * SKIP LOCKED, signing them per Standard Webhooks, and recording every attempt. Delivery is
 * at least once: a crash between the POST and its record means one more POST later.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Webhooks');
  private readonly loop: IntervalLoop;
  private readonly agents: OutboundAgents;

  constructor(
    private readonly repository: WebhooksRepository,
    private readonly config: AppConfig,
  ) {
    this.loop = new IntervalLoop('WebhookDispatcher', config.webhookWorkerIntervalMs, (stopping) => this.runOnce(stopping));
    this.agents = outboundAgents({ allowPrivate: config.webhooksAllowPrivate });
  }

  onApplicationBootstrap(): void {
    if (this.config.workersEnabled) this.loop.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.loop.stop();
    this.agents.destroy();
  }

  /** Sends every due delivery, batch by batch; returns how many attempts were made. */
  async runOnce(stopping: () => boolean = () => false): Promise<number> {
    let total = 0;
    for (;;) {
      const due = await this.repository.claimDue(BATCH, this.config.webhookTimeoutMs + 5000);
      await Promise.all(due.map((delivery) => this.deliverSafely(delivery)));
      total += due.length;
      if (due.length < BATCH || stopping()) return total;
    }
  }

  /** One delivery's failure must not stop the batch; its lease expires and it is tried again. */
  private async deliverSafely(delivery: DueDelivery): Promise<void> {
    try {
      await this.deliver(delivery);
    } catch (error) {
      this.logger.error(`Delivery ${delivery.id} could not be recorded: ${(error as Error).message}`);
    }
  }

  private async deliver(delivery: DueDelivery): Promise<void> {
    if (!delivery.endpointUsable) {
      await this.repository.abandon(delivery.id);
      return;
    }
    const body = JSON.stringify({
      id: delivery.eventId,
      type: delivery.eventType,
      created_at: delivery.eventCreatedAt.toISOString(),
      livemode: delivery.livemode,
      // The payment's status now, beside the snapshot: receivers can order what they get.
      data: { ...delivery.eventData, payment_status: delivery.paymentStatus },
    });
    const now = new Date();
    const headers = {
      'webhook-id': delivery.eventId,
      'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
      'webhook-signature': new Webhook(delivery.secret).sign(delivery.eventId, now, body),
    };
    const result = await sendWebhook(delivery.url, headers, body, this.config.webhookTimeoutMs, this.agents);
    const attempt = {
      deliveryId: delivery.id,
      attempt: delivery.attempts,
      responseStatus: result.status,
      durationMs: result.durationMs,
      error: result.error,
      responseBody: result.body,
    };
    const status = result.status ?? 0;
    if (status >= 200 && status < 300) {
      await this.repository.recordAttempt(attempt, { status: 'succeeded' });
      webhookDeliveries.inc({ outcome: 'succeeded' });
      return;
    }
    if (status === 410) {
      this.logger.warn(`Endpoint ${delivery.endpointId} answered 410 Gone: disabled`);
      await this.repository.recordAttempt(attempt, { status: 'failed' }, { endpointId: delivery.endpointId, reason: '410 Gone' });
      webhookDeliveries.inc({ outcome: 'disabled' });
      return;
    }
    const scheduled = retryDelayMs(delivery.attempts, this.config.webhookRetryScale);
    if (scheduled === undefined || delivery.attempts >= MAX_ATTEMPTS) {
      await this.repository.recordAttempt(attempt, { status: 'failed' });
      webhookDeliveries.inc({ outcome: 'failed' });
      return;
    }
    // Capped: a receiver must not shelve a delivery for years, nor push it past what a timestamp holds.
    const asked = status === 429 || status === 503 ? Math.min(retryAfterMs(result.retryAfter, now) ?? 0, MAX_RETRY_AFTER_MS) : 0;
    await this.repository.recordAttempt(attempt, { status: 'pending', retryInMs: Math.max(scheduled, asked) });
    webhookDeliveries.inc({ outcome: 'retry' });
  }
}
