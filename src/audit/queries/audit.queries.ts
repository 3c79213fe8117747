/**
 * The audit trail's SQL: AuditTrail's one insert and AuditService's list, as fixed, named texts
 * (prepared once per connection by `Sql`), and the mapper from a row. Adding a column to
 * `audit_events` means: the entity, the migration, AUDIT_EVENT_COLUMNS, INSERT_AUDIT_EVENT and
 * `auditEventFromRow` (queries.spec.ts fails until they agree).
 */
import type { Cursor } from '../../common/pagination.js';
import { listStatement, type Statement } from '../../database/statement.js';
import type { Row } from '../../database/sql.js';
import type { ActorType, AuditEvent } from '../audit-event.entity.js';

/** Every column of `audit_events` (as `a`), in the entity's order. */
export const AUDIT_EVENT_COLUMNS = `
  a.id, a.action, a.actor_type, a.actor_id, a.merchant_id, a.target_type, a.target_id, a.request_id, a.client_ip,
  a.before, a.after, a.created_at`;

export const INSERT_AUDIT_EVENT = `
  INSERT INTO audit_events (id, action, actor_type, actor_id, merchant_id, target_type, target_id, request_id, client_ip, before, after, created_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`;

// ---- The list: newest first, keyset pages; the filters present (see listStatement) ---------

/** The actor named by a join, so that a renamed user shows as they are now. */
const SELECT_AUDIT_EVENTS = `
  SELECT ${AUDIT_EVENT_COLUMNS}, coalesce(u.email, k.prefix) AS actor_label
    FROM audit_events a
    LEFT JOIN users u ON a.actor_type = 'user' AND u.id = a.actor_id
    LEFT JOIN api_keys k ON a.actor_type = 'api_key' AND k.id = a.actor_id`;
const OF_MERCHANT = 'a.merchant_id = $?';
const BY_ACTOR = 'a.actor_id = $?';
const OF_ACTION = 'a.action = $?';
const ON_TARGET = 'a.target_id = $?';
const CREATED_GTE = 'a.created_at >= $?';
const CREATED_LT = 'a.created_at < $?';
const AFTER_CURSOR = '(a.created_at, a.id) < ($?, $?)';
const PAGE = 'ORDER BY a.created_at DESC, a.id DESC LIMIT $?';

export interface AuditFilters {
  merchantId?: string;
  actorId?: string;
  action?: string;
  targetId?: string;
  createdGte?: Date;
  createdLt?: Date;
  after?: Cursor;
  /** Rows to fetch. */
  limit: number;
}

export function listAuditEvents(filters: AuditFilters): Statement {
  return listStatement(
    SELECT_AUDIT_EVENTS,
    [
      filters.merchantId !== undefined && [OF_MERCHANT, filters.merchantId],
      filters.actorId !== undefined && [BY_ACTOR, filters.actorId],
      filters.action !== undefined && [OF_ACTION, filters.action],
      filters.targetId !== undefined && [ON_TARGET, filters.targetId],
      filters.createdGte !== undefined && [CREATED_GTE, filters.createdGte],
      filters.createdLt !== undefined && [CREATED_LT, filters.createdLt],
      filters.after !== undefined && [AFTER_CURSOR, filters.after.createdAt, filters.after.id],
    ],
    [PAGE, filters.limit],
  );
}

export function auditEventFromRow(row: Row): AuditEvent {
  return {
    id: row.id as string,
    action: row.action as string,
    actorType: row.actor_type as ActorType,
    actorId: row.actor_id as string | null,
    merchantId: row.merchant_id as string | null,
    targetType: row.target_type as string,
    targetId: row.target_id as string,
    requestId: row.request_id as string | null,
    clientIp: row.client_ip as string | null,
    before: row.before as Record<string, unknown> | null,
    after: row.after as Record<string, unknown> | null,
    createdAt: row.created_at as Date,
  };
}
