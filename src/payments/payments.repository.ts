import { Injectable } from '@nestjs/common';
import { attemptRow } from '../acquirers/attempts.repository.js';
import { AuditTrail, type AuditEntry } from '../audit/audit-trail.js';
import type { AttemptRecord, TryPlan } from '../bank/bank-gateway.js';
import type { Scope } from '../auth/principal.js';
import { GroupCommit } from '../database/group-commit.js';
import { Sql, type SqlClient } from '../database/sql.js';
import { paymentsByStatus } from '../metrics/metrics.js';
import type { PaymentAttemptResponse } from './dto/payment-attempt.response.js';
import type { PaymentEvent } from './payment-event.entity.js';
import type { Payment } from './payment.entity.js';
import {
  ARCHIVE_BATCH,
  ARCHIVE_PAYMENT,
  ARCHIVE_PAYMENTS_BATCH,
  CLAIM_OPERATION,
  INSERT_PAYMENT_EVENTS,
  INSERT_PENDING_PAYMENTS,
  INSERT_PENDING_PAYMENTS_WITH_TRIES,
  PAYMENT_ATTEMPTS,
  PAYMENT_BY_ID,
  PAYMENT_BY_ID_IN_SCOPE,
  PAYMENT_BY_IDEMPOTENCY_TOKEN,
  PAYMENT_EVENTS,
  RELEASE_OPERATION,
  SETTLE_OPERATION,
  SETTLE_PENDING_PAYMENTS,
  eventFromRow,
  eventRow,
  listPayments,
  paymentFromRow,
  paymentRow,
  paymentSummary,
  settlementRow,
  type PaymentFilters,
  type Row,
  type SummaryFilters,
} from './queries/payments.queries.js';
import type { OutcomeChanges } from './rules/bank-outcome.js';
import type { BankOperation, HistoryStatus, PaymentStatus } from './rules/payment-state.js';

export { APPROVED_STATUSES, type PaymentFilters } from './queries/payments.queries.js';

export interface SummaryRows {
  byStatus: { status: PaymentStatus; count: string }[];
  byDayAndCurrency: { date: string; currency: string; count: string; approved: string; amount: string }[];
}

/** Builds the event row for a change, given the payment as it is after the change. */
export type EventFactory = (payment: Payment) => PaymentEvent;

/** Builds the audit row for a change made by a caller, given the payment as it is after the change. */
export type AuditFactory = (payment: Payment) => AuditEntry;

/** What settling a pending payment changes: always the same columns, so always the same statement. */
export type SettleChanges = OutcomeChanges & Pick<Payment, 'nextCheckAt' | 'checkAttempts' | 'updatedAt'>;

/** A capture or void to claim on an authorised payment; see CLAIM_OPERATION. */
export interface OperationClaim {
  operation: 'capture' | 'void';
  /** A capture's amount; null for a void. */
  amount: number | null;
  /** The Idempotency-Key token of the request, for a reclaim of the key to find. */
  idempotencyToken: string | null;
  /** When the reconciler asks the bank about it, should the answer never come: after this, on the database's clock. */
  recheckAfterMs: number;
}

/** What a settled operation makes of the payment. */
export interface OperationOutcome {
  status: PaymentStatus;
  historyStatus: HistoryStatus;
  /** A capture's amount; null leaves amount_captured as it is. */
  amountCaptured: number | null;
  updatedAt: Date;
}

/** One payment and its event, as JSON objects keyed by column name, in a batched statement. */
interface BatchItem {
  payment: Row;
  event: Row;
  /** The pending insert's: when the reconciler asks the bank, should the process die. */
  recheck_after_ms?: number;
  /** The settlement's: the try that answered, when the router left it to the settlement. */
  attempt?: Row;
  /** The pending insert's: the tries planned before it (see TryPlan). */
  attempts?: Row[];
}

/**
 * Payments: their creation and settlement (group-committed), reads, and the conditional
 * changes that make concurrent requests safe. The SQL is in queries/payments.queries.ts;
 * every statement runs through `Sql` (see src/database/sql.ts).
 */
@Injectable()
export class PaymentsRepository {
  constructor(
    private readonly sql: Sql,
    private readonly audit: AuditTrail,
  ) {}

  /**
   * The new payment (pending, so never a charge without a row) and its first event, together
   * or not at all: one statement. `next_check_at` is the database's clock plus
   * `recheckAfterMs`: should this process die before the bank answers, the reconciler asks then.
   * `tries`: the acquirers' tries to record with it, the skipped ones and the first to be sent
   * (see TryPlan). Concurrent creates share the statement and its commit (see GroupCommit).
   */
  async insertPending(payment: Payment, event: PaymentEvent, recheckAfterMs: number, tries?: TryPlan): Promise<void> {
    const attempts = tries && [...tries.skipped.map(attemptRow), { id: tries.first.id, payment_id: payment.id, acquirer_id: tries.first.acquirerId }];
    await this.inserts.run({ payment: paymentRow(payment), event: eventRow(event), recheck_after_ms: recheckAfterMs, attempts });
    paymentsByStatus.inc({ status: payment.status });
  }

  /**
   * Settles a pending payment: the update and its event in one statement. A pending payment is
   * exactly as it was inserted (settling is the only way out of pending; the reconciler's
   * schedule columns are among those settling sets), so the payment after the change is known
   * beforehand and nothing is read back. Undefined when the payment was no longer pending.
   * `attempt`: the acquirer's try that answered, when the router left it to be written here.
   * Concurrent settlements share the statement and its commit.
   */
  async settlePending(pending: Payment, changes: SettleChanges, event: EventFactory, attempt?: AttemptRecord): Promise<Payment | undefined> {
    const after: Payment = { ...pending, ...changes };
    const item = { payment: settlementRow(after), event: eventRow(event(after)), attempt: attempt && attemptRow(attempt) };
    if (!(await this.settlements.run(item))) return undefined;
    paymentsByStatus.inc({ status: after.status });
    return after;
  }

  private readonly inserts = new GroupCommit<BatchItem, void>(async (items) => {
    await this.sql.query(items.some((item) => item.attempts) ? INSERT_PENDING_PAYMENTS_WITH_TRIES : INSERT_PENDING_PAYMENTS, [JSON.stringify(items)]);
    return items.map(() => undefined);
  });

  private readonly settlements = new GroupCommit<BatchItem, boolean>(async (items) => {
    const rows = await this.sql.query<{ id: string }>(SETTLE_PENDING_PAYMENTS, [JSON.stringify(items)]);
    const settled = new Set(rows.map((row) => row.id));
    return items.map((item) => settled.has(item.payment.id as string));
  });

  /**
   * Marks `claim.operation` as in progress on the payment, if it is authorised with nothing
   * else in progress (and, for a capture, the amount is at most the authorised one), with the
   * caller's audit row. Undefined when something else got there first.
   */
  async claimOperation(id: string, claim: OperationClaim, audit: AuditFactory): Promise<Payment | undefined> {
    return this.sql.transaction(async (tx) => {
      const [row] = await tx.query(CLAIM_OPERATION, [id, claim.operation, claim.amount, claim.recheckAfterMs, claim.idempotencyToken]);
      if (!row) return undefined;
      const payment = paymentFromRow(row);
      await this.audit.record(tx, audit(payment));
      return payment;
    });
  }

  /** Releases `operation`, the payment otherwise unchanged. Undefined when it was not in progress (any more). */
  async releaseOperation(id: string, operation: BankOperation): Promise<Payment | undefined> {
    const [row] = await this.sql.query(RELEASE_OPERATION, [id, operation]);
    return row ? paymentFromRow(row) : undefined;
  }

  /** Records `operation` as done, with its event. Undefined when it was not in progress (any more). */
  async settleOperation(id: string, operation: BankOperation, outcome: OperationOutcome, event: EventFactory): Promise<Payment | undefined> {
    return this.sql.transaction(async (tx) => {
      const [row] = await tx.query(SETTLE_OPERATION, [id, operation, outcome.status, outcome.historyStatus, outcome.amountCaptured, outcome.updatedAt]);
      if (!row) return undefined;
      const payment = paymentFromRow(row);
      await insertEvents(tx, [event(payment)]);
      paymentsByStatus.inc({ status: payment.status });
      return payment;
    });
  }

  /** Archives the payment if its status allows it, with its event and audit row. Undefined when it did not (already archived, say). */
  async archive(id: string, archivable: readonly PaymentStatus[], now: Date, event: EventFactory, audit: AuditFactory): Promise<Payment | undefined> {
    return this.sql.transaction(async (tx) => {
      const [row] = await tx.query(ARCHIVE_PAYMENT, [id, now, archivable]);
      if (!row) return undefined;
      const payment = paymentFromRow(row);
      await insertEvents(tx, [event(payment)]);
      await this.audit.record(tx, audit(payment));
      return payment;
    });
  }

  /**
   * On every read: a plain query, no query building. A merchant key's scope is a merchant and
   * a mode; a merchant's person's, the merchant in both modes; the admin's is empty.
   */
  async findById(id: string, scope: Scope = {}): Promise<Payment | null> {
    const [row] =
      scope.merchantId === undefined
        ? await this.sql.query(PAYMENT_BY_ID, [id])
        : await this.sql.query(PAYMENT_BY_ID_IN_SCOPE, [id, scope.merchantId, scope.livemode ?? null]);
    return row ? paymentFromRow(row) : null;
  }

  /** What a request made under this Idempotency-Key token created, if it got that far. */
  async findByIdempotencyToken(token: string): Promise<Payment | null> {
    const [row] = await this.sql.query(PAYMENT_BY_IDEMPOTENCY_TOKEN, [token]);
    return row ? paymentFromRow(row) : null;
  }

  /** One page (`limit` + 1 rows, to tell whether there is a next), newest first, by keyset; see `listPayments`. */
  async list(filters: PaymentFilters): Promise<Payment[]> {
    const { text, values } = listPayments(filters);
    return (await this.sql.query(text, values)).map(paymentFromRow);
  }

  /**
   * Totals over the filtered payments (archived ones included: money moved either way), per
   * currency, per status and per UTC day. Amounts are summed as bigint and read back as text, so
   * no total overflows an integer column.
   */
  async summary(filters: SummaryFilters): Promise<SummaryRows> {
    const statements = paymentSummary(filters);
    const [byStatus, byDayAndCurrency] = await Promise.all([
      this.sql.query<SummaryRows['byStatus'][number]>(statements.byStatus.text, statements.byStatus.values),
      this.sql.query<SummaryRows['byDayAndCurrency'][number]>(statements.byDayAndCurrency.text, statements.byDayAndCurrency.values),
    ]);
    return { byStatus, byDayAndCurrency };
  }

  /** A payment's attempts, oldest first; one still being answered reads `unknown`. An attempt takes its payment's mode. */
  async attempts(payment: Payment): Promise<PaymentAttemptResponse[]> {
    const rows = await this.sql.query<Omit<PaymentAttemptResponse, 'created_at' | 'livemode'> & { created_at: Date }>(PAYMENT_ATTEMPTS, [payment.id]);
    return rows.map(({ created_at, ...row }) => ({ ...row, livemode: payment.livemode, created_at: created_at.toISOString() }));
  }

  /** A payment's history, oldest first, in commit order. */
  async events(paymentId: string): Promise<PaymentEvent[]> {
    return (await this.sql.query(PAYMENT_EVENTS, [paymentId])).map(eventFromRow);
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
      const archived = await this.sql.transaction(async (tx) => {
        const payments = (await tx.query(ARCHIVE_PAYMENTS_BATCH, [createdLt, archivable, merchantId ?? null, now])).map(paymentFromRow);
        if (payments.length > 0) {
          await insertEvents(tx, payments.map(event));
          await this.audit.record(tx, audit(payments));
        }
        return payments.length;
      });
      total += archived;
      if (archived < ARCHIVE_BATCH) return total;
    }
  }
}

/** Inserts events in the caller's transaction. */
export async function insertEvents(tx: SqlClient, events: PaymentEvent[]): Promise<void> {
  await tx.query(INSERT_PAYMENT_EVENTS, [JSON.stringify(events.map(eventRow))]);
}
