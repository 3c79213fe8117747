/**
 * The SQL of RefundsRepository: fixed, named texts (prepared once per connection by `Sql`)
 * and the mappers between a refund and its row. Adding a column to `refunds` means: the
 * entity, the migration, REFUND_COLUMNS and `refundFromRow` (refunds.queries.spec.ts fails
 * until they agree), then INSERT_REFUND.
 */
import type { Refund } from '../refund.entity.js';
import { PAYMENT_COLUMNS, type Row } from './payments.queries.js';

/** Every column of `refunds`, in the entity's order. */
export const REFUND_COLUMNS = `
  id, payment_id, merchant_id, amount, status, reason, failure_reason, next_check_at, check_attempts,
  idempotency_token, created_at, updated_at`;

export const REFUNDS_OF_PAYMENT = `SELECT ${REFUND_COLUMNS} FROM refunds WHERE payment_id = $1 ORDER BY created_at, id`;

export const REFUND_BY_ID = `SELECT ${REFUND_COLUMNS} FROM refunds WHERE id = $1`;

export const REFUND_BY_IDEMPOTENCY_TOKEN = `SELECT ${REFUND_COLUMNS} FROM refunds WHERE payment_id = $1 AND idempotency_token = $2`;

/**
 * Reserves $4 of the refundable balance of payment $1 (of merchant $2, in a status $3 that
 * allows refunds): concurrent refunds can never reserve more than was captured.
 */
export const RESERVE_REFUND = `
  UPDATE payments
     SET amount_refund_pending = amount_refund_pending + $4, updated_at = $5
   WHERE id = $1 AND merchant_id = $2 AND status = ANY($3)
     AND amount_captured - amount_refunded - amount_refund_pending >= $4
  RETURNING ${PAYMENT_COLUMNS}`;

/**
 * A new refund, pending. `next_check_at` is the database's clock plus $8 ms: should this
 * process never hear back from the bank, the reconciler asks then.
 */
export const INSERT_REFUND = `
  INSERT INTO refunds (id, payment_id, merchant_id, amount, status, reason, failure_reason, next_check_at, check_attempts,
                       idempotency_token, created_at, updated_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, now() + make_interval(secs => $8::double precision / 1000), $9, $10, $11, $12)`;

/** Settles refund $1 once: as succeeded or failed ($2), if it is still pending. */
export const SETTLE_REFUND = `
  UPDATE refunds
     SET status = $2, failure_reason = $3, next_check_at = NULL, updated_at = $4
   WHERE id = $1 AND status = 'pending'
  RETURNING ${REFUND_COLUMNS}`;

/** A settled refund's effect on its payment (locked beforehand): the balances, status and history status. */
export const SET_REFUND_BALANCES = `
  UPDATE payments
     SET amount_refunded = $2, amount_refund_pending = $3, status = $4, payment_history_status = $5, updated_at = $6
   WHERE id = $1
  RETURNING ${PAYMENT_COLUMNS}`;

export function refundFromRow(row: Row): Refund {
  return {
    id: row.id as string,
    paymentId: row.payment_id as string,
    merchantId: row.merchant_id as string,
    amount: row.amount as number,
    status: row.status as Refund['status'],
    reason: row.reason as string | null,
    failureReason: row.failure_reason as string | null,
    nextCheckAt: row.next_check_at as Date | null,
    checkAttempts: row.check_attempts as number,
    idempotencyToken: row.idempotency_token as string | null,
    createdAt: row.created_at as Date,
    updatedAt: row.updated_at as Date,
  };
}
