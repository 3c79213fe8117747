/**
 * The SQL of WebhooksRepository, as fixed, named texts (prepared once per connection by `Sql`),
 * and the mappers from a row. Times of the delivery loop are on the database's clock (`now()`,
 * plus `$n` milliseconds). Adding a column to `webhook_endpoints` or `webhook_attempts` means:
 * the entity, the migration, the column list, the insert and the mapper (queries.spec.ts fails
 * until they agree).
 */
import type { Cursor } from '../../common/pagination.js';
import type { Row } from '../../database/sql.js';
import { listStatement, type Statement } from '../../database/statement.js';
import type { WebhookAttempt } from '../webhook-attempt.entity.js';
import type { DeliveryStatus } from '../webhook-delivery.entity.js';
import type { WebhookEndpoint } from '../webhook-endpoint.entity.js';

// ---- Endpoints --------------------------------------------------------------------------------

/** Every column of `webhook_endpoints`, in the entity's order. */
export const ENDPOINT_COLUMNS = 'id, merchant_id, livemode, url, events, secret, status, disabled_reason, created_at, deleted_at';

export const INSERT_ENDPOINT = `INSERT INTO webhook_endpoints (${ENDPOINT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`;

export const ENDPOINT_BY_ID = `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE id = $1`;

/** Deletes endpoint $1 once: a row back only the first time. */
export const DELETE_ENDPOINT = 'UPDATE webhook_endpoints SET deleted_at = now() WHERE id = $1 AND deleted_at IS NULL RETURNING id';

/** After a 410 Gone. */
export const DISABLE_ENDPOINT = `UPDATE webhook_endpoints SET status = 'disabled', disabled_reason = $2 WHERE id = $1`;

const SELECT_ENDPOINTS = `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints`;
const NOT_DELETED = 'deleted_at IS NULL';
const OF_MERCHANT = 'merchant_id = $?';
const IN_MODE = 'livemode = $?';
const OLDEST_FIRST = 'ORDER BY created_at, id';

/** The endpoints not deleted, oldest first; of one merchant and mode, or (undefined) of all. */
export function listEndpoints(merchantId: string | undefined, livemode: boolean | undefined): Statement {
  return listStatement(
    SELECT_ENDPOINTS,
    [[NOT_DELETED], merchantId !== undefined && [OF_MERCHANT, merchantId], livemode !== undefined && [IN_MODE, livemode]],
    [OLDEST_FIRST],
  );
}

// ---- Deliveries, as the API lists them ------------------------------------------------------

const SELECT_DELIVERIES = `
  SELECT d.id, d.endpoint_id, e.livemode, d.event_id, ev.type AS event_type, d.status, d.attempts, d.next_attempt_at, d.created_at
    FROM webhook_deliveries d
    JOIN webhook_endpoints e ON e.id = d.endpoint_id
    JOIN payment_events ev ON ev.id = d.event_id`;

/**
 * An endpoint's latest $2 deliveries. Events of one change share created_at, and delivery ids
 * are hashes: the event id (a monotonic ULID) orders ties.
 */
export const DELIVERIES_OF_ENDPOINT = `${SELECT_DELIVERIES}
   WHERE d.endpoint_id = $1
   ORDER BY d.created_at DESC, d.event_id DESC, d.id DESC
   LIMIT $2`;

const DELIVERY_OF_MERCHANT = 'e.merchant_id = $?';
const DELIVERY_IN_MODE = 'e.livemode = $?';
const DELIVERY_TO_ENDPOINT = 'd.endpoint_id = $?';
const DELIVERY_IN_STATUS = 'd.status = $?';
const DELIVERY_AFTER_CURSOR = '(d.created_at, d.id) < ($?, $?)';
const DELIVERY_PAGE = 'ORDER BY d.created_at DESC, d.id DESC LIMIT $?';

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

/** Deliveries across endpoints, newest first, a keyset page (GET /v1/webhook-deliveries). */
export function listDeliveries(filter: DeliveryFilter): Statement {
  return listStatement(
    SELECT_DELIVERIES,
    [
      filter.merchantId !== undefined && [DELIVERY_OF_MERCHANT, filter.merchantId],
      filter.livemode !== undefined && [DELIVERY_IN_MODE, filter.livemode],
      filter.endpointId !== undefined && [DELIVERY_TO_ENDPOINT, filter.endpointId],
      filter.status !== undefined && [DELIVERY_IN_STATUS, filter.status],
      filter.after !== undefined && [DELIVERY_AFTER_CURSOR, filter.after.createdAt, filter.after.id],
    ],
    [DELIVERY_PAGE, filter.limit],
  );
}

/** Every column of `webhook_attempts`, in the entity's order. */
export const ATTEMPT_COLUMNS = 'id, delivery_id, attempt, response_status, duration_ms, error, response_body, created_at';

/** The attempts of the deliveries $1 (an array), in order. */
export const ATTEMPTS_OF_DELIVERIES = `SELECT ${ATTEMPT_COLUMNS} FROM webhook_attempts WHERE delivery_id = ANY($1) ORDER BY attempt`;

/** Schedules delivery $1 of endpoint $2 again, now; returns the status it had. */
export const RESEND_DELIVERY = `
  UPDATE webhook_deliveries d SET status = 'pending', next_attempt_at = now(), updated_at = now()
    FROM webhook_deliveries before
   WHERE d.id = $1 AND d.endpoint_id = $2 AND before.id = d.id
  RETURNING before.status`;

// ---- The delivery loop ------------------------------------------------------------------------

/**
 * Claims up to $1 due deliveries: SKIP LOCKED so that instances take different rows, and a
 * lease of $2 ms (the next due time pushed back) so that a delivery being sent is not sent
 * again unless this instance dies. With each, what sending it needs.
 */
export const CLAIM_DUE_DELIVERIES = `
  WITH claimed AS (
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
    JOIN payments p ON p.id = ev.payment_id`;

export const INSERT_ATTEMPT = `
  INSERT INTO webhook_attempts (delivery_id, attempt, response_status, duration_ms, error, response_body, created_at)
  VALUES ($1, $2, $3, $4, $5, $6, now())`;

/** Delivery $1's outcome ($2); when pending again, due in $3 ms. */
export const SET_DELIVERY_OUTCOME = `
  UPDATE webhook_deliveries
     SET status = $2,
         next_attempt_at = CASE WHEN $2 = 'pending' THEN now() + make_interval(secs => $3::double precision / 1000) END,
         updated_at = now()
   WHERE id = $1`;

/** The pending deliveries of endpoint $1 (deleted or disabled) stop. */
export const FAIL_PENDING_DELIVERIES_OF_ENDPOINT = `
  UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL, updated_at = now()
   WHERE endpoint_id = $1 AND status = 'pending'`;

/** A delivery whose endpoint is gone or disabled: failed, without an attempt. */
export const ABANDON_DELIVERY = `UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL, updated_at = now() WHERE id = $1`;

// ---- Rows -------------------------------------------------------------------------------------

export function endpointRow(endpoint: WebhookEndpoint): unknown[] {
  return [
    endpoint.id,
    endpoint.merchantId,
    endpoint.livemode,
    endpoint.url,
    endpoint.events,
    endpoint.secret,
    endpoint.status,
    endpoint.disabledReason,
    endpoint.createdAt,
    endpoint.deletedAt,
  ];
}

export function endpointFromRow(row: Row): WebhookEndpoint {
  return {
    id: row.id as string,
    merchantId: row.merchant_id as string,
    livemode: row.livemode as boolean,
    url: row.url as string,
    events: row.events as string[],
    secret: row.secret as string,
    status: row.status as WebhookEndpoint['status'],
    disabledReason: row.disabled_reason as string | null,
    createdAt: row.created_at as Date,
    deletedAt: row.deleted_at as Date | null,
  };
}

/** `id` is a bigint, which node-postgres reads as a string (as TypeORM did). */
export function attemptFromRow(row: Row): WebhookAttempt {
  return {
    id: row.id as string,
    deliveryId: row.delivery_id as string,
    attempt: row.attempt as number,
    responseStatus: row.response_status as number | null,
    durationMs: row.duration_ms as number,
    error: row.error as string | null,
    responseBody: row.response_body as string | null,
    createdAt: row.created_at as Date,
  };
}
