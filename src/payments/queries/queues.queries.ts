/**
 * The SQL of PaymentQueuesRepository: the background workers' claims. Each takes rows with
 * SKIP LOCKED, so that every instance works and each row goes to one at a time.
 */
import { PAYMENT_COLUMNS } from './payments.queries.js';
import { REFUND_COLUMNS } from './refunds.queries.js';

/** Payments whose unsettled bank outcome is due for another question, locked ($1 at most). */
export const DUE_PAYMENTS = `
  SELECT id, check_attempts FROM payments
   WHERE next_check_at <= now()
   ORDER BY next_check_at
   LIMIT $1
     FOR UPDATE SKIP LOCKED`;

/** Counts the question about payment $1 and pushes its next one back by $2 ms, on the database's clock. */
export const CLAIM_DUE_PAYMENT = `
  UPDATE payments
     SET check_attempts = check_attempts + 1,
         next_check_at = now() + make_interval(secs => $2::double precision / 1000)
   WHERE id = $1
  RETURNING ${PAYMENT_COLUMNS}`;

export const DUE_REFUNDS = `
  SELECT id, check_attempts FROM refunds
   WHERE next_check_at <= now()
   ORDER BY next_check_at
   LIMIT $1
     FOR UPDATE SKIP LOCKED`;

export const CLAIM_DUE_REFUND = `
  UPDATE refunds
     SET check_attempts = check_attempts + 1,
         next_check_at = now() + make_interval(secs => $2::double precision / 1000)
   WHERE id = $1
  RETURNING ${REFUND_COLUMNS}`;

/**
 * Claims for expiry up to $2 authorised payments created before $1, oldest first, skipping
 * those another instance holds; the reconciler asks the bank about each after $3 ms.
 */
export const CLAIM_EXPIRED_PAYMENTS = `
  UPDATE payments
     SET bank_operation = 'expire',
         next_check_at = now() + make_interval(secs => $3::double precision / 1000),
         check_attempts = 0
   WHERE id IN (
     SELECT id FROM payments
      WHERE status = 'authorized' AND bank_operation IS NULL AND created_at < $1
      ORDER BY created_at
      LIMIT $2
        FOR UPDATE SKIP LOCKED)
  RETURNING ${PAYMENT_COLUMNS}`;
