import { Injectable } from '@nestjs/common';
import { AuditTrail } from '../audit/audit-trail.js';
import type { Scope } from '../auth/principal.js';
import { Sql } from '../database/sql.js';
import {
  ABANDON_DELIVERY,
  ATTEMPTS_OF_DELIVERIES,
  CLAIM_DUE_DELIVERIES,
  DELETE_ENDPOINT,
  DELIVERIES_OF_ENDPOINT,
  DISABLE_ENDPOINT,
  ENDPOINT_BY_ID,
  FAIL_PENDING_DELIVERIES_OF_ENDPOINT,
  INSERT_ATTEMPT,
  INSERT_ENDPOINT,
  RESEND_DELIVERY,
  SET_DELIVERY_OUTCOME,
  attemptFromRow,
  endpointFromRow,
  endpointRow,
  listDeliveries,
  listEndpoints,
  type DeliveryFilter,
} from './queries/webhooks.queries.js';
import type { WebhookAttempt } from './webhook-attempt.entity.js';
import type { WebhookEndpoint } from './webhook-endpoint.entity.js';

/** A claimed delivery with everything needed to send it. */
export interface DueDelivery {
  id: string;
  attempts: number;
  url: string;
  secret: string;
  endpointId: string;
  endpointUsable: boolean;
  eventId: string;
  eventType: string;
  eventCreatedAt: Date;
  eventData: { object: object };
  /** The event's payment's mode, and so the event's. */
  livemode: boolean;
  paymentStatus: string;
}

export interface DeliveryRow {
  id: string;
  endpoint_id: string;
  livemode: boolean;
  event_id: string;
  event_type: string;
  status: string;
  attempts: number;
  next_attempt_at: Date | null;
  created_at: Date;
}

export type AttemptRecord = Omit<WebhookAttempt, 'id' | 'createdAt'>;

export type DeliveryWithAttempts = { delivery: DeliveryRow; attempts: WebhookAttempt[] };

/**
 * Webhook endpoints, deliveries and attempts: the API's reads and changes, and the delivery
 * loop's claims and outcomes. The SQL is in queries/webhooks.queries.ts; every statement runs
 * through `Sql`.
 */
@Injectable()
export class WebhooksRepository {
  constructor(
    private readonly sql: Sql,
    private readonly audit: AuditTrail,
  ) {}

  async insertEndpoint(endpoint: WebhookEndpoint): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await tx.query(INSERT_ENDPOINT, endpointRow(endpoint));
      await this.audit.record(tx, {
        action: 'webhook_endpoint.create',
        target: { type: 'webhook_endpoint', id: endpoint.id },
        merchantId: endpoint.merchantId,
        after: { url: endpoint.url, events: endpoint.events, livemode: endpoint.livemode },
      });
    });
  }

  /** Undefined: every merchant's, or both modes. */
  async endpoints(merchantId: string | undefined, livemode: boolean | undefined): Promise<WebhookEndpoint[]> {
    const { text, values } = listEndpoints(merchantId, livemode);
    return (await this.sql.query(text, values)).map(endpointFromRow);
  }

  async findEndpoint(id: string, scope: Scope): Promise<WebhookEndpoint | null> {
    const [row] = await this.sql.query(ENDPOINT_BY_ID, [id]);
    const endpoint = row && endpointFromRow(row);
    if (!endpoint || endpoint.deletedAt) return null;
    if (scope.merchantId !== undefined && endpoint.merchantId !== scope.merchantId) return null;
    if (scope.livemode !== undefined && endpoint.livemode !== scope.livemode) return null;
    return endpoint;
  }

  /** Deleted endpoints get no new deliveries and their pending ones stop. */
  async deleteEndpoint(endpoint: WebhookEndpoint): Promise<void> {
    const { id } = endpoint;
    await this.sql.transaction(async (tx) => {
      const deleted = await tx.query(DELETE_ENDPOINT, [id]);
      if (deleted.length > 0) {
        await this.audit.record(tx, {
          action: 'webhook_endpoint.delete',
          target: { type: 'webhook_endpoint', id },
          merchantId: endpoint.merchantId,
          before: { url: endpoint.url, events: endpoint.events, status: endpoint.status },
        });
      }
      await tx.query(FAIL_PENDING_DELIVERIES_OF_ENDPOINT, [id]);
    });
  }

  async deliveries(endpointId: string, limit: number): Promise<DeliveryWithAttempts[]> {
    return this.withAttempts(await this.sql.query<DeliveryRow>(DELIVERIES_OF_ENDPOINT, [endpointId, limit]));
  }

  /** Deliveries across endpoints, newest first, a keyset page (GET /v1/webhook-deliveries). */
  async listDeliveries(filter: DeliveryFilter): Promise<DeliveryWithAttempts[]> {
    const { text, values } = listDeliveries(filter);
    return this.withAttempts(await this.sql.query<DeliveryRow>(text, values));
  }

  private async withAttempts(rows: DeliveryRow[]): Promise<DeliveryWithAttempts[]> {
    const attempts = rows.length ? (await this.sql.query(ATTEMPTS_OF_DELIVERIES, [rows.map((row) => row.id)])).map(attemptFromRow) : [];
    return rows.map((delivery) => ({ delivery, attempts: attempts.filter((attempt) => attempt.deliveryId === delivery.id) }));
  }

  /** Schedules a delivery again, now; false when there is no such delivery on the endpoint. */
  async resend(endpoint: WebhookEndpoint, deliveryId: string): Promise<boolean> {
    return this.sql.transaction(async (tx) => {
      const [before] = await tx.query<{ status: string }>(RESEND_DELIVERY, [deliveryId, endpoint.id]);
      if (!before) return false;
      await this.audit.record(tx, {
        action: 'webhook_delivery.resend',
        target: { type: 'webhook_delivery', id: deliveryId },
        merchantId: endpoint.merchantId,
        before: { status: before.status },
        after: { status: 'pending', endpoint_id: endpoint.id },
      });
      return true;
    });
  }

  /** Claims up to `limit` due deliveries for this instance, each leased for `leaseMs` (see CLAIM_DUE_DELIVERIES). */
  async claimDue(limit: number, leaseMs: number): Promise<DueDelivery[]> {
    const rows = await this.sql.query(CLAIM_DUE_DELIVERIES, [limit, leaseMs]);
    return rows.map((row) => ({
      id: row.id as string,
      attempts: row.attempts as number,
      url: row.url as string,
      secret: row.secret as string,
      endpointId: row.endpoint_id as string,
      endpointUsable: row.endpoint_usable as boolean,
      eventId: row.event_id as string,
      eventType: row.event_type as string,
      eventCreatedAt: row.event_created_at as Date,
      eventData: row.event_data as { object: object },
      livemode: row.livemode as boolean,
      paymentStatus: row.payment_status as string,
    }));
  }

  /**
   * Records an attempt and what follows from it, together: delivered, failed for good, or
   * due again in `retryInMs`; `disableEndpoint` after a 410 Gone.
   */
  async recordAttempt(
    attempt: AttemptRecord,
    outcome: { status: 'succeeded' | 'failed' } | { status: 'pending'; retryInMs: number },
    disableEndpoint?: { endpointId: string; reason: string },
  ): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await tx.query(INSERT_ATTEMPT, [attempt.deliveryId, attempt.attempt, attempt.responseStatus, attempt.durationMs, attempt.error, attempt.responseBody]);
      await tx.query(SET_DELIVERY_OUTCOME, [attempt.deliveryId, outcome.status, outcome.status === 'pending' ? outcome.retryInMs : 0]);
      if (disableEndpoint) {
        await tx.query(DISABLE_ENDPOINT, [disableEndpoint.endpointId, disableEndpoint.reason]);
        await tx.query(FAIL_PENDING_DELIVERIES_OF_ENDPOINT, [disableEndpoint.endpointId]);
      }
    });
  }

  /** A delivery whose endpoint is gone or disabled: failed, without an attempt. */
  async abandon(deliveryId: string): Promise<void> {
    await this.sql.query(ABANDON_DELIVERY, [deliveryId]);
  }
}
