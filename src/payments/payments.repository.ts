import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';
import { AuditTrail, type AuditEntry } from '../audit/audit-trail.js';
import type { Scope } from '../auth/principal.js';
import type { Cursor } from '../common/pagination.js';
import { GroupCommit } from '../database/group-commit.js';
import { Sql } from '../database/sql.js';
import { paymentsByStatus } from '../metrics/metrics.js';
import type { PaymentAttemptResponse } from './dto/payment-attempt.response.js';
import { PaymentEvent } from './payment-event.entity.js';
import { Payment } from './payment.entity.js';
import type { OutcomeChanges } from './rules/bank-outcome.js';
import type { BankOperation, HistoryStatus, PaymentStatus } from './rules/payment-state.js';

/** What a payment provider counts as approved: the bank said yes, whatever happened after. */
export const APPROVED_STATUSES: readonly PaymentStatus[] = ['authorized', 'captured', 'voided', 'partially_refunded', 'refunded'];

export interface SummaryRows {
  byStatus: { status: PaymentStatus; count: string }[];
  byDayAndCurrency: { date: string; currency: string; count: string; approved: string; amount: string }[];
}

export interface PaymentFilters {
  merchantId?: string;
  /** Undefined: both modes. */
  livemode?: boolean;
  status?: PaymentStatus;
  /** Undefined: everything but archived. */
  historyStatus?: HistoryStatus;
  createdGte?: Date;
  createdLt?: Date;
  reference?: string;
  after?: Cursor;
  limit: number;
}

/** Which rows an update may touch: the conditions that make concurrent changes safe. */
export interface PaymentCondition {
  statuses?: readonly PaymentStatus[];
  merchantId?: string;
  notArchived?: boolean;
  /** The bank operation in progress, or null for none. */
  bankOperation?: BankOperation | null;
  /** `amount >= this`: a capture never exceeds the authorisation. */
  amountAtLeast?: number;
  /** `amount_captured - amount_refunded - amount_refund_pending >= this`. */
  refundableAtLeast?: number;
}

/** Builds the event row for a change, given the payment as it is after the change. */
export type EventFactory = (payment: Payment) => PaymentEvent;

/** Builds the audit row for a change made by a caller, given the payment as it is after the change. */
export type AuditFactory = (payment: Payment) => AuditEntry;

export type PaymentChanges = { [K in keyof Payment]?: Payment[K] | (() => string) };

const ARCHIVE_BATCH = 500;

@Injectable()
export class PaymentsRepository {
  private hot: HotStatements | undefined;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly sql: Sql,
    private readonly audit: AuditTrail,
  ) {}

  /**
   * The new payment (pending, so never a charge without a row) and its first event, together
   * or not at all: one statement. `next_check_at` is the database's clock plus
   * `recheckAfterMs`: should this process die before the bank answers, the reconciler asks then.
   * Concurrent creates share the statement and its commit (see GroupCommit).
   */
  async insertPending(payment: Payment, event: PaymentEvent, recheckAfterMs: number): Promise<void> {
    const { insert } = this.statements();
    await this.inserts.run({ payment: insert.row(payment), event: eventRow(event), recheck_after_ms: recheckAfterMs });
    paymentsByStatus.inc({ status: payment.status });
  }

  /**
   * Settles a pending payment: the update and its event in one statement. A pending payment is
   * exactly as it was inserted (settling is the only way out of pending; the reconciler's
   * schedule columns are among those settling sets), so the payment after the change is known
   * beforehand and nothing is read back. Undefined when the payment was no longer pending.
   * Concurrent settlements share the statement and its commit.
   */
  async settlePending(pending: Payment, changes: SettleChanges, event: EventFactory): Promise<Payment | undefined> {
    const after: Payment = { ...pending, ...changes };
    const { settle } = this.statements();
    if (!(await this.settlements.run({ payment: settle.row(after), event: eventRow(event(after)) }))) return undefined;
    paymentsByStatus.inc({ status: after.status });
    return after;
  }

  private readonly inserts = new GroupCommit<BatchItem, void>(async (items) => {
    await this.sql.query(this.statements().insert.text, [JSON.stringify(items)]);
    return items.map(() => undefined);
  });

  private readonly settlements = new GroupCommit<BatchItem, boolean>(async (items) => {
    const rows = await this.sql.query<{ id: string }>(this.statements().settle.text, [JSON.stringify(items)]);
    const settled = new Set(rows.map((row) => row.id));
    return items.map((item) => settled.has(item.payment.id as string));
  });

  /** The statements on every create and read, built once from the entity's columns. */
  private statements(): HotStatements {
    this.hot ??= hotStatements(this.dataSource.getMetadata(Payment).columns);
    return this.hot;
  }

  /**
   * Applies `changes` only while the payment still matches `when`, with its event and audit
   * row (if any), in one transaction. Returns the updated payment, or undefined when it did not match (any more).
   */
  async update(id: string, when: PaymentCondition, changes: PaymentChanges, event?: EventFactory, audit?: AuditFactory): Promise<Payment | undefined> {
    return this.dataSource.transaction(async (manager) => {
      const payment = await this.updateWith(manager, id, when, changes);
      if (payment && event) await manager.insert(PaymentEvent, event(payment));
      if (payment && audit) await this.audit.record(manager, audit(payment));
      if (payment && typeof changes.status === 'string') paymentsByStatus.inc({ status: changes.status });
      return payment;
    });
  }

  async updateWith(manager: EntityManager, id: string, when: PaymentCondition, changes: PaymentChanges): Promise<Payment | undefined> {
    const query = manager.createQueryBuilder().update(Payment).set(changes).where('id = :id', { id });
    if (when.statuses) query.andWhere('status IN (:...statuses)', { statuses: when.statuses });
    if (when.merchantId) query.andWhere('merchant_id = :merchantId', { merchantId: when.merchantId });
    if (when.notArchived) query.andWhere(`payment_history_status <> 'archived'`);
    if (when.bankOperation === null) query.andWhere('bank_operation IS NULL');
    if (when.bankOperation) query.andWhere('bank_operation = :operation', { operation: when.bankOperation });
    if (when.amountAtLeast !== undefined) query.andWhere('amount >= :amountAtLeast', { amountAtLeast: when.amountAtLeast });
    if (when.refundableAtLeast !== undefined) {
      query.andWhere('amount_captured - amount_refunded - amount_refund_pending >= :refundable', {
        refundable: when.refundableAtLeast,
      });
    }
    const result = await query.returning('*').execute();
    const row = (result.raw as Record<string, unknown>[])[0];
    return row ? toEntity(manager, Payment, row) : undefined;
  }

  /**
   * On every read: a plain query, no query building. A merchant key's scope is a merchant and
   * a mode; a merchant's person's, the merchant in both modes; the admin's is empty.
   */
  async findById(id: string, scope: Scope = {}): Promise<Payment | null> {
    const { byId, byIdInScope } = this.statements();
    const rows =
      scope.merchantId === undefined ? await this.sql.query(byId, [id]) : await this.sql.query(byIdInScope, [id, scope.merchantId, scope.livemode ?? null]);
    return rows[0] ? toEntity(this.dataSource.manager, Payment, rows[0]) : null;
  }

  /** What a request made under this Idempotency-Key token created, if it got that far. */
  async findByIdempotencyToken(token: string): Promise<Payment | null> {
    const rows = await this.sql.query(this.statements().byIdempotencyToken, [token]);
    return rows[0] ? toEntity(this.dataSource.manager, Payment, rows[0]) : null;
  }

  /**
   * One page, newest first, by keyset: a plain prepared query (one text per combination of
   * filters), whatever the table's size the same walk down an index. One merchant's payments
   * of both modes (an admin's list) are the merge of one walk per mode, each down an index
   * that leads with (merchant_id, livemode), each stopping after a page.
   */
  async list(filters: PaymentFilters): Promise<Payment[]> {
    const { select } = this.statements();
    const values: unknown[] = [];
    const where: string[] = [];
    const param = (value: unknown) => `$${values.push(value)}`;
    if (filters.merchantId) where.push(`merchant_id = ${param(filters.merchantId)}`);
    if (filters.livemode !== undefined) where.push(`livemode = ${param(filters.livemode)}`);
    if (filters.status) where.push(`status = ${param(filters.status)}`);
    where.push(filters.historyStatus ? `payment_history_status = ${param(filters.historyStatus)}` : `payment_history_status <> 'archived'`);
    if (filters.createdGte) where.push(`created_at >= ${param(filters.createdGte)}`);
    if (filters.createdLt) where.push(`created_at < ${param(filters.createdLt)}`);
    if (filters.reference !== undefined) where.push(`reference = ${param(filters.reference)}`);
    if (filters.after) where.push(`(created_at, id) < (${param(filters.after.createdAt)}, ${param(filters.after.id)})`);
    const page = `ORDER BY created_at DESC, id DESC LIMIT ${param(filters.limit + 1)}`;
    const conditions = where.join(' AND ');
    const text =
      filters.merchantId && filters.livemode === undefined
        ? `SELECT * FROM ((${select} WHERE ${conditions} AND livemode ${page}) UNION ALL (${select} WHERE ${conditions} AND NOT livemode ${page})) p ${page}`
        : `${select} WHERE ${conditions} ${page}`;
    const rows = await this.sql.query(text, values);
    return rows.map((row) => toEntity(this.dataSource.manager, Payment, row));
  }

  /**
   * Totals over the filtered payments (archived ones included: money moved either way), per
   * currency, per status and per UTC day. Amounts are summed as bigint and read back as text, so
   * no total overflows an integer column.
   */
  async summary(filters: Omit<PaymentFilters, 'after' | 'limit' | 'status' | 'historyStatus' | 'reference'>): Promise<SummaryRows> {
    const values: unknown[] = [];
    const where: string[] = ['true'];
    const param = (value: unknown) => `$${values.push(value)}`;
    if (filters.merchantId) where.push(`merchant_id = ${param(filters.merchantId)}`);
    if (filters.livemode !== undefined) where.push(`livemode = ${param(filters.livemode)}`);
    if (filters.createdGte) where.push(`created_at >= ${param(filters.createdGte)}`);
    if (filters.createdLt) where.push(`created_at < ${param(filters.createdLt)}`);
    const conditions = where.join(' AND ');
    const approved = `status IN (${APPROVED_STATUSES.map((status) => `'${status}'`).join(', ')})`;
    const [byStatus, byDayAndCurrency] = await Promise.all([
      this.sql.query<{ status: PaymentStatus; count: string }>(
        `SELECT status, count(*)::text AS count FROM payments WHERE ${conditions} GROUP BY status`,
        values,
      ),
      this.sql.query<{ date: string; currency: string; count: string; approved: string; amount: string }>(
        `SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS date, currency, count(*)::text AS count,
                (count(*) FILTER (WHERE ${approved}))::text AS approved,
                (coalesce(sum(amount::bigint) FILTER (WHERE ${approved}), 0))::text AS amount
           FROM payments WHERE ${conditions} GROUP BY 1, 2 ORDER BY 1, 2`,
        values,
      ),
    ]);
    return { byStatus, byDayAndCurrency };
  }

  /** A payment's attempts, oldest first; one still being answered reads `unknown`. An attempt takes its payment's mode. */
  async attempts(payment: Payment): Promise<PaymentAttemptResponse[]> {
    const rows = await this.sql.query<Omit<PaymentAttemptResponse, 'created_at' | 'livemode'> & { created_at: Date }>(
      `SELECT id, acquirer_id, coalesce(outcome, 'unknown') AS outcome, decline_code, error, http_status, coalesce(duration_ms, 0) AS duration_ms, created_at
         FROM payment_attempts WHERE payment_id = $1 ORDER BY created_at, id`,
      [payment.id],
    );
    return rows.map(({ created_at, ...row }) => ({ ...row, livemode: payment.livemode, created_at: created_at.toISOString() }));
  }

  /** A payment's history, oldest first, in commit order. */
  async events(paymentId: string): Promise<PaymentEvent[]> {
    return this.dataSource
      .getRepository(PaymentEvent)
      .createQueryBuilder('e')
      .where('e.payment_id = :paymentId', { paymentId })
      .orderBy('e.seq', 'ASC')
      .getMany();
  }

  /**
   * Archives, batch by batch, the payments created before `createdLt` whose status allows
   * it; each batch and its events commit together. Returns how many were archived.
   */
  async archiveBefore(
    createdLt: Date,
    merchantId: string | undefined,
    archivable: readonly PaymentStatus[],
    now: Date,
    event: EventFactory,
    audit: (archived: Payment[]) => AuditEntry,
  ): Promise<number> {
    let total = 0;
    for (;;) {
      const archived = await this.dataSource.transaction(async (manager) => {
        // A structured result: a bare query() answers UPDATE … RETURNING with [rows, count].
        const { records } = await manager.queryRunner!.query(
          `WITH batch AS (
             SELECT id FROM payments
              WHERE created_at < $1
                AND payment_history_status <> 'archived'
                AND status = ANY($2)
                AND bank_operation IS NULL
                AND ($3::text IS NULL OR merchant_id = $3)
              ORDER BY created_at, id
              LIMIT ${ARCHIVE_BATCH}
                FOR UPDATE)
           UPDATE payments p
              SET payment_history_status = 'archived', updated_at = $4
             FROM batch
            WHERE p.id = batch.id
           RETURNING p.*`,
          [createdLt, archivable, merchantId ?? null, now],
          true,
        );
        const payments = (records as Record<string, unknown>[]).map((row) => toEntity(manager, Payment, row));
        if (payments.length > 0) {
          await manager.insert(PaymentEvent, payments.map(event));
          await this.audit.record(manager, audit(payments));
        }
        return payments.length;
      });
      total += archived;
      if (archived < ARCHIVE_BATCH) return total;
    }
  }
}

/** What settling a pending payment changes: always the same columns, so always the same statement. */
export type SettleChanges = OutcomeChanges & Pick<Payment, 'nextCheckAt' | 'checkAttempts' | 'updatedAt'>;

const SETTLED_COLUMNS: readonly (keyof SettleChanges)[] = [
  'status',
  'historyStatus',
  'amountCaptured',
  'bankReference',
  'acquirerId',
  'declineCode',
  'failureReason',
  'nextCheckAt',
  'checkAttempts',
  'updatedAt',
];

interface HotStatements {
  insert: { text: string; row: (payment: Payment) => Record<string, unknown> };
  settle: { text: string; row: (payment: Payment) => Record<string, unknown> };
  select: string;
  byId: string;
  byIdInScope: string;
  byIdempotencyToken: string;
}

/** One payment and its event, as JSON objects keyed by column name, in a batched statement. */
interface BatchItem {
  payment: Record<string, unknown>;
  event: Record<string, unknown>;
  recheck_after_ms?: number;
}

const EVENT_COLUMNS = 'id, payment_id, merchant_id, type, data, created_at';

/**
 * The batched statements (insert, settle) are fixed texts that take their rows as one JSON
 * array (`json_populate_record` converts each value to its column's type): prepared once,
 * whatever the batch's size.
 */
function hotStatements(columns: ColumnMetadata[]): HotStatements {
  const byProperty = new Map(columns.map((column) => [column.propertyName, column]));
  const inserted = columns.filter((column) => column.propertyName !== 'nextCheckAt');
  const settled = SETTLED_COLUMNS.map((property) => byProperty.get(property)!);
  const names = (list: ColumnMetadata[], prefix = '') => list.map((column) => prefix + column.databaseName).join(', ');
  const items = `item AS (SELECT value AS item FROM json_array_elements($1::json))`;
  const events = `SELECT ${EVENT_COLUMNS} FROM item, json_populate_record(NULL::payment_events, item -> 'event')`;
  const select = `SELECT ${names(columns)} FROM payments`;
  return {
    insert: {
      text: `WITH ${items},
                  payment AS (
                    INSERT INTO payments (${names(inserted)}, next_check_at)
                    SELECT ${names(inserted, 'p.')}, now() + make_interval(secs => (item ->> 'recheck_after_ms')::double precision / 1000)
                      FROM item, json_populate_record(NULL::payments, item -> 'payment') p)
             INSERT INTO payment_events (${EVENT_COLUMNS}) ${events}`,
      row: columnRow(inserted),
    },
    settle: {
      text: `WITH ${items},
                  change AS (SELECT p.* FROM item, json_populate_record(NULL::payments, item -> 'payment') p),
                  updated AS (
                    UPDATE payments SET ${settled.map((column) => `${column.databaseName} = change.${column.databaseName}`).join(', ')}
                      FROM change
                     WHERE payments.id = change.id AND payments.status = 'pending'
                    RETURNING payments.id),
                  event AS (
                    INSERT INTO payment_events (${EVENT_COLUMNS})
                    SELECT ${EVENT_COLUMNS} FROM (${events}) e WHERE payment_id IN (SELECT id FROM updated))
             SELECT id FROM updated`,
      row: columnRow([byProperty.get('id')!, ...settled]),
    },
    select,
    byId: `${select} WHERE id = $1`,
    byIdInScope: `${select} WHERE id = $1 AND merchant_id = $2 AND ($3::boolean IS NULL OR livemode = $3)`,
    byIdempotencyToken: `${select} WHERE idempotency_token = $1`,
  };
}

function columnRow(columns: ColumnMetadata[]): (payment: Payment) => Record<string, unknown> {
  return (payment) => {
    const row: Record<string, unknown> = {};
    for (const column of columns) row[column.databaseName] = column.getEntityValue(payment) ?? null;
    return row;
  };
}

function eventRow(event: PaymentEvent): Record<string, unknown> {
  return {
    id: event.id,
    payment_id: event.paymentId,
    merchant_id: event.merchantId,
    type: event.type,
    data: event.data,
    created_at: event.createdAt,
  };
}

/** A raw `RETURNING *` row as the entity (node-postgres already parsed the values). */
export function toEntity<T>(manager: EntityManager, entity: new () => T, row: Record<string, unknown>): T {
  const target = new entity() as Record<string, unknown>;
  for (const column of manager.connection.getMetadata(entity).columns) {
    if (column.databaseName in row) target[column.propertyName] = row[column.databaseName];
  }
  return target as T;
}
