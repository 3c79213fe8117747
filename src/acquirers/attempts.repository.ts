import { Injectable } from '@nestjs/common';
import type { AttemptRecord, BankOperationRef } from '../bank/bank-gateway.js';
import { GroupCommit } from '../database/group-commit.js';
import { Sql } from '../database/sql.js';
import type { AuthorizationResult } from './acquirer-adapter.js';
import type { RouteData } from './routing-cache.js';
import type { Routing } from './rules/routing.js';
import {
  FINISH_ATTEMPT,
  HOLDER_OF_PAYMENT,
  LATEST_ATTEMPT,
  RECORD_ATTEMPTS,
  REFUND_OF_OPERATION,
  ROUTE_DATA,
  START_ATTEMPTS,
} from './queries/attempts.queries.js';

/** An acquirer as the router needs it; `api_key` stays in here, never in a response or a log line. */
export interface AcquirerRow {
  id: string;
  name: string;
  kind: 'simulator' | 'http';
  baseUrl: string | null;
  apiKey: string | null;
  timeoutMs: number;
  enabled: boolean;
  /** Changes when the acquirer does: the adapter built for the old settings is replaced. */
  version: string;
}

export type AttemptOutcome = AttemptRecord['outcome'];

export interface LatestAttempt {
  id: string;
  attemptId: string;
  outcome: AttemptOutcome | null;
  declineCode: string | null;
  acquirerReference: string | null;
  acquirerId: string;
  acquirer: AcquirerRow;
}

export interface AttemptFields {
  outcome: AttemptOutcome;
  declineCode?: string | null;
  error?: string | null;
  httpStatus?: number | null;
  acquirerReference?: string | null;
  durationMs?: number;
}

/** What an attempt row says of a classified answer. */
export function attemptFields(result: AuthorizationResult): AttemptFields {
  switch (result.kind) {
    case 'approved':
      return { outcome: 'approved', acquirerReference: result.acquirerReference, httpStatus: result.httpStatus };
    case 'declined':
      return { outcome: 'declined', acquirerReference: result.acquirerReference, declineCode: result.declineCode, httpStatus: result.httpStatus };
    default:
      return { outcome: result.kind, error: result.error, httpStatus: result.httpStatus };
  }
}

/** An attempt as a row of payment_attempts, keyed by column (RECORD_ATTEMPTS, and the settlement's statement). */
export function attemptRow(attempt: AttemptRecord): Record<string, unknown> {
  return {
    id: attempt.id,
    payment_id: attempt.paymentId,
    acquirer_id: attempt.acquirerId,
    outcome: attempt.outcome,
    decline_code: attempt.declineCode,
    error: attempt.error,
    http_status: attempt.httpStatus,
    duration_ms: attempt.durationMs,
    acquirer_reference: attempt.acquirerReference,
  };
}

/** The router's reads and writes: routes, attempts, and who holds an authorisation. */
@Injectable()
export class AttemptsRepository {
  constructor(private readonly sql: Sql) {}

  /**
   * What a merchant's routes are chosen from (`Routes` keeps it while it can hear changes): its
   * routing and every acquirer (a short table), in one round trip.
   */
  async routeData(merchantId: string): Promise<RouteData> {
    const [row] = await this.sql.query<{ routing: Routing | null; acquirers: AcquirerRow[] | null }>(
      ROUTE_DATA,
      [merchantId],
    );
    return { routing: row?.routing ?? null, acquirers: row?.acquirers ?? [] };
  }

  /**
   * A finished try (a skip, or an answer the router does not leave to the settlement): a new
   * row, or the outcome of one recorded when it started. Concurrent ones are written together.
   */
  async record(attempt: AttemptRecord): Promise<void> {
    await this.finished.run(attemptRow(attempt));
  }

  private readonly finished = new GroupCommit<Record<string, unknown>, void>(async (rows) => {
    await this.sql.query(RECORD_ATTEMPTS, [JSON.stringify(rows)]);
    return rows.map(() => undefined);
  });

  /**
   * A try about to be sent: recorded first, with no outcome yet, and committed before this
   * returns. Concurrent ones are written together: one commit for all the tries starting at
   * once, rather than one each (a connection each, under load, from the pool the batches need).
   */
  async start(attempt: { id: string; paymentId: string; acquirerId: string }): Promise<void> {
    await this.started.run({ id: attempt.id, payment_id: attempt.paymentId, acquirer_id: attempt.acquirerId });
  }

  private readonly started = new GroupCommit<Record<string, unknown>, void>(async (rows) => {
    await this.sql.query(START_ATTEMPTS, [JSON.stringify(rows)]);
    return rows.map(() => undefined);
  });

  async finish(id: string, fields: AttemptFields): Promise<void> {
    await this.sql.query(
      FINISH_ATTEMPT,
      [
        id,
        fields.outcome,
        fields.declineCode ?? null,
        fields.error ?? null,
        fields.httpStatus ?? null,
        fields.durationMs === undefined ? null : Math.round(fields.durationMs),
        fields.acquirerReference ?? null,
      ],
    );
  }

  /** The payment's latest try, whatever its outcome (null: still being answered when its process died). */
  async latest(paymentId: string): Promise<LatestAttempt | undefined> {
    const [row] = await this.sql.query<AcquirerRow & Omit<LatestAttempt, 'acquirer'>>(
      LATEST_ATTEMPT,
      [paymentId],
    );
    if (!row) return undefined;
    const { attemptId, outcome, declineCode, acquirerReference, acquirerId, ...acquirer } = row;
    return { id: attemptId, attemptId, outcome, declineCode, acquirerReference, acquirerId, acquirer };
  }

  /**
   * The acquirer holding the payment's authorisation, and its reference there. None for a test
   * payment, which the simulator holds: whatever its row says, it never reaches another acquirer.
   */
  async holderOfPayment(paymentId: string): Promise<{ acquirer: AcquirerRow; reference: string; amount: number } | undefined> {
    const [row] = await this.sql.query<AcquirerRow & { reference: string | null; amount: number | null }>(
      HOLDER_OF_PAYMENT,
      [paymentId],
    );
    if (!row || row.reference === null) return undefined;
    const { reference, amount, ...acquirer } = row;
    return { acquirer, reference, amount: amount ?? 0 };
  }

  /** As holderOfPayment, for an operation asked about again; a refund's amount is its own. */
  async holderOf(operation: Exclude<BankOperationRef, { kind: 'authorization' }>): Promise<{ acquirer: AcquirerRow; reference: string; amount: number } | undefined> {
    if (operation.kind !== 'refund') return this.holderOfPayment(operation.paymentId);
    const [refund] = await this.sql.query<{ paymentId: string; amount: number }>(
      REFUND_OF_OPERATION,
      [operation.refundId],
    );
    if (!refund) return undefined;
    const holder = await this.holderOfPayment(refund.paymentId);
    return holder && { ...holder, amount: refund.amount };
  }
}
