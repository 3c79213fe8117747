import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { AuditTrail } from '../audit/audit-trail.js';
import type { Scope } from '../auth/principal.js';
import type { Cursor } from '../common/pagination.js';
import type { DeliveryStatus } from './webhook-delivery.entity.js';
import { WebhookAttempt } from './webhook-attempt.entity.js';
import { WebhookEndpoint } from './webhook-endpoint.entity.js';

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

export interface DeliveryFilter {
  /** Undefined: every merchant's, both modes, every endpoint, every status. */
  merchantId?: string;
  livemode?: boolean;
  endpointId?: string;
  status?: DeliveryStatus;
  after?: Cursor;
  /** Rows to fetch: the page size plus one, to tell whether another page exists. */
  limit: number;
}

export type DeliveryWithAttempts = { delivery: DeliveryRow; attempts: WebhookAttempt[] };

@Injectable()
export class WebhooksRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditTrail,
  ) {}

  async insertEndpoint(endpoint: WebhookEndpoint): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await manager.insert(WebhookEndpoint, endpoint);
      await this.audit.record(manager, {
        action: 'webhook_endpoint.create',
        target: { type: 'webhook_endpoint', id: endpoint.id },
        merchantId: endpoint.merchantId,
        after: { url: endpoint.url, events: endpoint.events, livemode: endpoint.livemode },
      });
    });
  }

  /** Undefined: every merchant's, or both modes. */
  async endpoints(merchantId: string | undefined, livemode: boolean | undefined): Promise<WebhookEndpoint[]> {
    return this.dataSource.getRepository(WebhookEndpoint).find({
      where: { ...(merchantId !== undefined && { merchantId }), ...(livemode !== undefined && { livemode }), deletedAt: IsNull() },
      order: { createdAt: 'ASC', id: 'ASC' },
    });
  }

  async findEndpoint(id: string, scope: Scope): Promise<WebhookEndpoint | null> {
    const endpoint = await this.dataSource
      .getRepository(WebhookEndpoint)
      .findOneBy({
        id,
        ...(scope.merchantId !== undefined && { merchantId: scope.merchantId }),
        ...(scope.livemode !== undefined && { livemode: scope.livemode }),
      });
    return endpoint && !endpoint.deletedAt ? endpoint : null;
  }

  /** Deleted endpoints get no new deliveries and their pending ones stop. */
  async deleteEndpoint(endpoint: WebhookEndpoint): Promise<void> {
    const { id } = endpoint;
    await this.dataSource.transaction(async (manager) => {
      const [, deleted] = (await manager.query(`UPDATE webhook_endpoints SET deleted_at = now() WHERE id = $1 AND deleted_at IS NULL`, [id])) as [unknown, number];
      if (deleted > 0) {
        await this.audit.record(manager, {
          action: 'webhook_endpoint.delete',
          target: { type: 'webhook_endpoint', id },
          merchantId: endpoint.merchantId,
          before: { url: endpoint.url, events: endpoint.events, status: endpoint.status },
        });
      }
      await manager.query(
        `UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL, updated_at = now()
          WHERE endpoint_id = $1 AND status = 'pending'`,
        [id],
      );
    });
  }

  async deliveries(endpointId: string, limit: number): Promise<DeliveryWithAttempts[]> {
    const rows = (await this.dataSource.query(
      `SELECT d.id, d.endpoint_id, e.livemode, d.event_id, ev.type AS event_type, d.status, d.attempts, d.next_attempt_at, d.created_at
         FROM webhook_deliveries d
         JOIN webhook_endpoints e ON e.id = d.endpoint_id
         JOIN payment_events ev ON ev.id = d.event_id
        WHERE d.endpoint_id = $1
        -- Events of one change share created_at, and delivery ids are hashes: the event id
        -- (a monotonic ULID) orders ties.
        ORDER BY d.created_at DESC, d.event_id DESC, d.id DESC
        LIMIT $2`,
      [endpointId, limit],
    )) as DeliveryRow[];
    return this.withAttempts(rows);
  }

  /** Deliveries across endpoints, newest first, a keyset page (GET /v1/webhook-deliveries). */
  async listDeliveries(filter: DeliveryFilter): Promise<DeliveryWithAttempts[]> {
    const rows = (await this.dataSource.query(
      `SELECT d.id, d.endpoint_id, e.livemode, d.event_id, ev.type AS event_type, d.status, d.attempts, d.next_attempt_at, d.created_at
         FROM webhook_deliveries d
         JOIN webhook_endpoints e ON e.id = d.endpoint_id
         JOIN payment_events ev ON ev.id = d.event_id
        WHERE ($1::text IS NULL OR e.merchant_id = $1)
          AND ($2::boolean IS NULL OR e.livemode = $2)
          AND ($3::text IS NULL OR d.endpoint_id = $3)
          AND ($4::text IS NULL OR d.status = $4)
          AND ($5::timestamptz IS NULL OR (d.created_at, d.id) < ($5, $6::text))
        ORDER BY d.created_at DESC, d.id DESC
        LIMIT $7`,
      [
        filter.merchantId ?? null,
        filter.livemode ?? null,
        filter.endpointId ?? null,
        filter.status ?? null,
        filter.after?.createdAt ?? null,
        filter.after?.id ?? null,
        filter.limit,
      ],
    )) as DeliveryRow[];
    return this.withAttempts(rows);
  }

  private async withAttempts(rows: DeliveryRow[]): Promise<DeliveryWithAttempts[]> {
    const attempts = rows.length
      ? await this.dataSource.getRepository(WebhookAttempt).find({
          where: rows.map((row) => ({ deliveryId: row.id })),
          order: { attempt: 'ASC' },
        })
      : [];
    return rows.map((delivery) => ({ delivery, attempts: attempts.filter((attempt) => attempt.deliveryId === delivery.id) }));
  }

  /** Schedules a delivery again, now; false when there is no such delivery on the endpoint. */
  async resend(endpoint: WebhookEndpoint, deliveryId: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const [rows] = (await manager.query(
        `UPDATE webhook_deliveries d SET status = 'pending', next_attempt_at = now(), updated_at = now()
           FROM webhook_deliveries before
          WHERE d.id = $1 AND d.endpoint_id = $2 AND before.id = d.id
          RETURNING before.status`,
        [deliveryId, endpoint.id],
      )) as [{ status: string }[], number];
      if (rows.length === 0) return false;
      await this.audit.record(manager, {
        action: 'webhook_delivery.resend',
        target: { type: 'webhook_delivery', id: deliveryId },
        merchantId: endpoint.merchantId,
        before: { status: rows[0]!.status },
        after: { status: 'pending', endpoint_id: endpoint.id },
      });
      return true;
    });
  }

  /**
   * Claims up to `limit` due deliveries for this instance: SKIP LOCKED so that instances take
   * different rows, and a lease (the next due time pushed back) so that a delivery being
   * sent is not sent again unless this instance dies.
   */
  async claimDue(limit: number, leaseMs: number): Promise<DueDelivery[]> {
    const rows = (await this.dataSource.query(
      `WITH claimed AS (
         UPDATE webhook_deliveries d
            SET attempts = d.attempts + 1,
                next_attempt_at = now() + make_interval(secs => $2::double precision / 1000),
                updated_at = now()
          WHERE d.id IN (
            SELECT id FROM webhook_deliveries
             WHERE status = 'pending' AND next_attempt_at <= now()
             ORDER BY next_attempt_at
             LIMIT $1
               FOR UPDATE SKIP LOCKED)
         RETURNING d.id, d.attempts, d.endpoint_id, d.event_id)
       SELECT c.id, c.attempts, e.id AS endpoint_id, e.url, e.secret,
              (e.status = 'enabled' AND e.deleted_at IS NULL) AS endpoint_usable,
              ev.id AS event_id, ev.type AS event_type, ev.created_at AS event_created_at, ev.data AS event_data,
              p.livemode, p.status AS payment_status
         FROM claimed c
         JOIN webhook_endpoints e ON e.id = c.endpoint_id
         JOIN payment_events ev ON ev.id = c.event_id
         JOIN payments p ON p.id = ev.payment_id`,
      [limit, leaseMs],
    )) as Record<string, unknown>[];
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
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO webhook_attempts (delivery_id, attempt, response_status, duration_ms, error, response_body, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, now())`,
        [attempt.deliveryId, attempt.attempt, attempt.responseStatus, attempt.durationMs, attempt.error, attempt.responseBody],
      );
      await manager.query(
        `UPDATE webhook_deliveries
            SET status = $2,
                next_attempt_at = CASE WHEN $2 = 'pending' THEN now() + make_interval(secs => $3::double precision / 1000) END,
                updated_at = now()
          WHERE id = $1`,
        [attempt.deliveryId, outcome.status, outcome.status === 'pending' ? outcome.retryInMs : 0],
      );
      if (disableEndpoint) {
        await manager.query(`UPDATE webhook_endpoints SET status = 'disabled', disabled_reason = $2 WHERE id = $1`, [
          disableEndpoint.endpointId,
          disableEndpoint.reason,
        ]);
        await manager.query(
          `UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL, updated_at = now()
            WHERE endpoint_id = $1 AND status = 'pending'`,
          [disableEndpoint.endpointId],
        );
      }
    });
  }

  /** A delivery whose endpoint is gone or disabled: failed, without an attempt. */
  async abandon(deliveryId: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL, updated_at = now() WHERE id = $1`,
      [deliveryId],
    );
  }
}
