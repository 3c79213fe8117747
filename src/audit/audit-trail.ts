import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock.js';
import { newId } from '../common/ids.js';
import { requestContext } from '../common/request-context.js';
import type { SqlClient } from '../database/sql.js';
import type { ActorType } from './audit-event.entity.js';
import { INSERT_AUDIT_EVENT } from './queries/audit.queries.js';

export interface Actor {
  type: ActorType;
  id: string | null;
}

export interface AuditEntry {
  /** `noun.verb`: what was asked, e.g. `refund.create`. */
  action: string;
  target: { type: string; id: string };
  /** The merchant the target belongs to (its admins see the row); null for the gateway's own configuration. */
  merchantId: string | null;
  /** The fields the action changed, as they were and as they became; never a secret. */
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  /** Who, when it is not the request's authenticated caller: a sign-in, successful or not. */
  actor?: Actor;
}

/**
 * The request's authenticated caller, as the trail names them; outside any request, the
 * operator (a command such as `npm run user:create`).
 */
export function currentActor(): Actor {
  const context = requestContext.current();
  if (!context) return { type: 'operator', id: null };
  const caller = context.caller;
  if (!caller) return { type: 'anonymous', id: null };
  if (caller.userId) return { type: 'user', id: caller.userId };
  return caller.keyId === null ? { type: 'admin_key', id: null } : { type: 'api_key', id: caller.keyId };
}

/**
 * The audit trail's one writer: each row goes in the transaction of the change it records, so
 * there is never a change without its row, nor a row for a change that rolled back.
 */
@Injectable()
export class AuditTrail {
  constructor(private readonly clock: Clock) {}

  /** `tx`: the transaction of the change (`sql.transaction(async (tx) => …)`). */
  async record(tx: SqlClient, entry: AuditEntry): Promise<void> {
    const context = requestContext.current();
    const actor = entry.actor ?? currentActor();
    await tx.query(INSERT_AUDIT_EVENT, [
      newId('auditEvent'),
      entry.action,
      actor.type,
      actor.id,
      entry.merchantId,
      entry.target.type,
      entry.target.id,
      context?.requestId ?? null,
      context?.peer?.ip ?? null,
      entry.before ?? null,
      entry.after ?? null,
      this.clock.now(),
    ]);
  }
}
