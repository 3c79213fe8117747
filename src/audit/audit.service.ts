import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { invalidParam } from '../common/errors.js';
import { isId } from '../common/ids.js';
import { decodeCursor, toPage, type Page } from '../common/pagination.js';
import { parseTimestamp } from '../common/timestamps.js';
import type { ActorType } from './audit-event.entity.js';
import type { AuditEventResponse, ListAuditEventsQuery } from './dto/audit-event.dto.js';

interface AuditRow {
  id: string;
  action: string;
  actor_type: ActorType;
  actor_id: string | null;
  actor_label: string | null;
  merchant_id: string | null;
  target_type: string;
  target_id: string;
  request_id: string | null;
  client_ip: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  created_at: Date;
}

/** Newest first; every filter optional (null), the actor named by a join so a renamed user shows as they are now. */
const LIST_AUDIT_EVENTS = `
  SELECT a.id, a.action, a.actor_type, a.actor_id, coalesce(u.email, k.prefix) AS actor_label, a.merchant_id,
         a.target_type, a.target_id, a.request_id, a.client_ip, a.before, a.after, a.created_at
    FROM audit_events a
    LEFT JOIN users u ON a.actor_type = 'user' AND u.id = a.actor_id
    LEFT JOIN api_keys k ON a.actor_type = 'api_key' AND k.id = a.actor_id
   WHERE ($1::text IS NULL OR a.merchant_id = $1)
     AND ($2::text IS NULL OR a.actor_id = $2)
     AND ($3::text IS NULL OR a.action = $3)
     AND ($4::text IS NULL OR a.target_id = $4)
     AND ($5::timestamptz IS NULL OR a.created_at >= $5)
     AND ($6::timestamptz IS NULL OR a.created_at < $6)
     AND ($7::timestamptz IS NULL OR (a.created_at, a.id) < ($7, $8))
   ORDER BY a.created_at DESC, a.id DESC
   LIMIT $9`;

const LABELS: Record<ActorType, string> = { user: 'deleted user', api_key: 'deleted key', admin_key: 'admin key', operator: 'operator', anonymous: 'anonymous' };

/** Reads the audit trail; AuditTrail writes it. */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** `merchantId`: the caller's merchant, or the staff's `merchant_id` filter; undefined for every row. */
  async list(merchantId: string | undefined, query: ListAuditEventsQuery): Promise<Page<AuditEventResponse>> {
    if (query.merchant_id !== undefined && !isId('merchant', query.merchant_id)) {
      throw invalidParam('merchant_id', 'merchant_id is not a merchant id');
    }
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const rows = (await this.dataSource.query(LIST_AUDIT_EVENTS, [
      merchantId ?? null,
      query.actor_id ?? null,
      query.action ?? null,
      query.target_id ?? null,
      query.created_gte === undefined ? null : parseTimestamp(query.created_gte),
      query.created_lt === undefined ? null : parseTimestamp(query.created_lt),
      after?.createdAt ?? null,
      after?.id ?? null,
      query.limit + 1,
    ])) as AuditRow[];
    return toPage(
      rows.map((row) => ({ ...row, createdAt: row.created_at })),
      query.limit,
      (row): AuditEventResponse => ({
        id: row.id,
        object: 'audit_event',
        action: row.action,
        actor: { type: row.actor_type, id: row.actor_id, label: row.actor_label ?? LABELS[row.actor_type] },
        target: { type: row.target_type, id: row.target_id },
        merchant_id: row.merchant_id,
        request_id: row.request_id,
        client_ip: row.client_ip,
        before: row.before,
        after: row.after,
        created_at: row.created_at.toISOString(),
      }),
    );
  }
}
