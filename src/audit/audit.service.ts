import { Injectable } from '@nestjs/common';
import { invalidParam } from '../common/errors.js';
import { isId } from '../common/ids.js';
import { decodeCursor, toPage, type Page } from '../common/pagination.js';
import { parseTimestamp } from '../common/timestamps.js';
import { Sql } from '../database/sql.js';
import type { ActorType } from './audit-event.entity.js';
import { auditEventFromRow, listAuditEvents } from './queries/audit.queries.js';
import type { AuditEventResponse, ListAuditEventsQuery } from './dto/audit-event.dto.js';

const LABELS: Record<ActorType, string> = { user: 'deleted user', api_key: 'deleted key', admin_key: 'admin key', operator: 'operator', anonymous: 'anonymous' };

/** Reads the audit trail; AuditTrail writes it. */
@Injectable()
export class AuditService {
  constructor(private readonly sql: Sql) {}

  /** `merchantId`: the caller's merchant, or the staff's `merchant_id` filter; undefined for every row. */
  async list(merchantId: string | undefined, query: ListAuditEventsQuery): Promise<Page<AuditEventResponse>> {
    if (query.merchant_id !== undefined && !isId('merchant', query.merchant_id)) {
      throw invalidParam('merchant_id', 'merchant_id is not a merchant id');
    }
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const { text, values } = listAuditEvents({
      merchantId,
      actorId: query.actor_id,
      action: query.action,
      targetId: query.target_id,
      createdGte: query.created_gte === undefined ? undefined : parseTimestamp(query.created_gte),
      createdLt: query.created_lt === undefined ? undefined : parseTimestamp(query.created_lt),
      after,
      limit: query.limit + 1,
    });
    const rows = (await this.sql.query(text, values)).map((row) => ({ ...auditEventFromRow(row), actorLabel: row.actor_label as string | null }));
    return toPage(
      rows,
      query.limit,
      (event): AuditEventResponse => ({
        id: event.id,
        object: 'audit_event',
        action: event.action,
        actor: { type: event.actorType, id: event.actorId, label: event.actorLabel ?? LABELS[event.actorType] },
        target: { type: event.targetType, id: event.targetId },
        merchant_id: event.merchantId,
        request_id: event.requestId,
        client_ip: event.clientIp,
        before: event.before,
        after: event.after,
        created_at: event.createdAt.toISOString(),
      }),
    );
  }
}
