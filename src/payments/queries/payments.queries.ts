/**
 * The SQL of PaymentsRepository, as the database runs it: each statement a fixed, named text
 * (prepared once per connection by `Sql`), and the mappers between a payment and its row.
 *
 * Statements name their columns (never `SELECT *` or `RETURNING *`): a prepared statement's
 * result columns are fixed when it is first prepared, so a migration that adds a column does
 * not break the instances still running. Adding a column to `payments` means: the entity, the
 * migration, PAYMENT_RECORD (PAYMENT_COLUMNS is its names), `paymentRow` and `paymentFromRow`
 * (queries.spec.ts and group-commit.e2e-spec.ts fail until all agree); then the statements that
 * write it.
 */
import type { Cursor } from '../../common/pagination.js';
import type { PaymentEvent } from '../payment-event.entity.js';
import type { Payment } from '../payment.entity.js';
import type { HistoryStatus, PaymentStatus } from '../rules/payment-state.js';

/** What a payment provider counts as approved: the bank said yes, whatever happened after. */
export const APPROVED_STATUSES: readonly PaymentStatus[] = ['authorized', 'captured', 'voided', 'partially_refunded', 'refunded'];

// The batches read their items with jsonb_to_record and a column list with types, not with
// jsonb_populate_record(NULL::payments, …), which takes the types from the table: PostgreSQL 18
// then copies the table's row descriptor, with every constraint's text, for each item (a
// populate of a payment took 15–20 µs against 4 with a list, on the embedded server).

/** Every column of `payments`, in the entity's order, with its type as in the table: `paymentRow` as jsonb_to_record reads it. */
export const PAYMENT_RECORD = `
  id text, merchant_id text, livemode boolean, status text, payment_history_status text, amount integer,
  currency character(3), capture_requested boolean, amount_captured integer, amount_refunded integer,
  amount_refund_pending integer, bank_operation text, bank_operation_amount integer,
  next_check_at timestamptz(3), check_attempts integer, card_brand text, card_bin character(6),
  card_last4 character(4), card_expiry_month smallint, card_expiry_year smallint, card_holder_name text,
  card_fingerprint text, bank_reference text, acquirer_id text, decline_code text, failure_reason text,
  reference text, description text, metadata jsonb, idempotency_token text, operation_idempotency_token text,
  created_at timestamptz(3), updated_at timestamptz(3)`;

/** The column names of a column list with types (no type here has a comma in it). */
export function recordColumns(record: string): string[] {
  return record.split(',').map((column) => column.trim().split(/\s+/)[0]!);
}

/** Every column of `payments`, in the entity's order. */
export const PAYMENT_COLUMNS = recordColumns(PAYMENT_RECORD).join(', ');

/** The same, of the row `p`: where another relation in the statement also has an `id`. */
const P_PAYMENT_COLUMNS = recordColumns(PAYMENT_RECORD)
  .map((column) => `p.${column}`)
  .join(', ');

const EVENT_COLUMNS = 'id, payment_id, merchant_id, type, data, created_at';

/** The columns of `settlementRow`, with their types. */
export const SETTLEMENT_RECORD = `
  id text, status text, payment_history_status text, amount_captured integer, bank_reference text,
  acquirer_id text, decline_code text, failure_reason text, next_check_at timestamptz(3),
  check_attempts integer, updated_at timestamptz(3)`;

/** The columns of `eventRow`, with their types. */
export const EVENT_RECORD = 'id text, payment_id text, merchant_id text, type text, data jsonb, created_at timestamptz(3)';

/** The columns of an attempt's row (AttemptRecord), with their types. */
export const ATTEMPT_RECORD = `
  id text, payment_id text, acquirer_id text, outcome text, decline_code text, error text, http_status integer,
  duration_ms integer, acquirer_reference text`;

// ---- One payment ----------------------------------------------------------------------------

export const PAYMENT_BY_ID = `SELECT ${PAYMENT_COLUMNS} FROM payments WHERE id = $1`;

/** $2: the caller's merchant; $3: its mode, or null for both (a merchant's person). */
export const PAYMENT_BY_ID_IN_SCOPE = `
  SELECT ${PAYMENT_COLUMNS} FROM payments
   WHERE id = $1 AND merchant_id = $2 AND ($3::boolean IS NULL OR livemode = $3)`;

export const PAYMENT_BY_IDEMPOTENCY_TOKEN = `SELECT ${PAYMENT_COLUMNS} FROM payments WHERE idempotency_token = $1`;

/** The payment, locked until the transaction ends: changes computed from it cannot race. */
export const PAYMENT_BY_ID_FOR_UPDATE = `SELECT ${PAYMENT_COLUMNS} FROM payments WHERE id = $1 FOR UPDATE`;

export const PAYMENT_ATTEMPTS = `
  SELECT id, acquirer_id, coalesce(outcome, 'unknown') AS outcome, decline_code, error, http_status,
         coalesce(duration_ms, 0) AS duration_ms, created_at
    FROM payment_attempts
   WHERE payment_id = $1
   ORDER BY created_at, id`;

/** A payment's history in commit order (`seq`). */
export const PAYMENT_EVENTS = `SELECT ${EVENT_COLUMNS} FROM payment_events WHERE payment_id = $1 ORDER BY seq`;

// ---- The create path, group-committed (see GroupCommit) ---------------------------------------
//
// $1 is a JSON array of items, one per payment: { payment: paymentRow(…), event: eventRow(…),
// recheck_after_ms }. jsonb_to_record converts each value to its column's type. One text
// whatever the batch's size, so it is prepared once. jsonb, not json: json is kept as text and
// parsed again by every `->` and populate call (an item four or five times); jsonb is parsed once.
// Measured with pgbench on batches of 24 captured from the bench (PostgreSQL 15): turning the
// payload into rows took 60 µs per payment with json, 23–31 µs with jsonb.

/** The new payments of a batch (`item`): the CTEs both pending inserts begin with. */
const PENDING_PAYMENTS = `
  WITH item AS (SELECT value AS item FROM jsonb_array_elements($1::jsonb)),
       payment AS (
         INSERT INTO payments (
           id, merchant_id, livemode, status, payment_history_status, amount, currency, capture_requested,
           amount_captured, amount_refunded, amount_refund_pending, bank_operation, bank_operation_amount,
           check_attempts, card_brand, card_bin, card_last4, card_expiry_month, card_expiry_year,
           card_holder_name, card_fingerprint, bank_reference, acquirer_id, decline_code, failure_reason,
           reference, description, metadata, idempotency_token, operation_idempotency_token, created_at, updated_at,
           next_check_at)
         SELECT p.id, p.merchant_id, p.livemode, p.status, p.payment_history_status, p.amount, p.currency, p.capture_requested,
                p.amount_captured, p.amount_refunded, p.amount_refund_pending, p.bank_operation, p.bank_operation_amount,
                p.check_attempts, p.card_brand, p.card_bin, p.card_last4, p.card_expiry_month, p.card_expiry_year,
                p.card_holder_name, p.card_fingerprint, p.bank_reference, p.acquirer_id, p.decline_code, p.failure_reason,
                p.reference, p.description, p.metadata, p.idempotency_token, p.operation_idempotency_token, p.created_at, p.updated_at,
                now() + make_interval(secs => (item ->> 'recheck_after_ms')::double precision / 1000)
           FROM item, jsonb_to_record(item -> 'payment') AS p(${PAYMENT_RECORD}))`;

/** Their `payment.created` events: the statement both pending inserts end with. */
const CREATED_EVENTS = `
  INSERT INTO payment_events (${EVENT_COLUMNS})
  SELECT ${EVENT_COLUMNS} FROM item, jsonb_to_record(item -> 'event') AS e(${EVENT_RECORD})`;

/**
 * Inserts each new payment and its `payment.created` event. `next_check_at` is the database's
 * clock plus `recheck_after_ms`: should the process die before the bank answers, the reconciler
 * asks then.
 */
export const INSERT_PENDING_PAYMENTS = `${PENDING_PAYMENTS}${CREATED_EVENTS}`;

/**
 * The same, and for the items that carry them, the acquirers' tries planned before it
 * (`item.attempts`, see TryPlan): rows of `attemptRow`'s columns, the skipped ones with their
 * outcome, the one to be sent first with none yet. A statement of its own, so that a batch
 * without tries (the simulator's) runs the one above, without an insert into payment_attempts
 * to start and end.
 */
export const INSERT_PENDING_PAYMENTS_WITH_TRIES = `${PENDING_PAYMENTS},
       tried AS (
         INSERT INTO payment_attempts (id, payment_id, acquirer_id, outcome, error, duration_ms, created_at)
         SELECT a.id, a.payment_id, a.acquirer_id, a.outcome, a.error, a.duration_ms, now()
           FROM item, jsonb_to_recordset(item -> 'attempts') AS a(${ATTEMPT_RECORD}))${CREATED_EVENTS}`;

/**
 * Settles each payment that is still pending with what the bank answered (the columns of
 * `settlementRow`), and inserts its event; returns the ids it settled. A payment no longer
 * pending (settled by someone else) is left alone, and so is its event. The acquirer's try
 * that answered (`item.attempt`, see AttemptRecord), when the router left it to the
 * settlement, is written in any case: as a new row, or as the outcome of the row it recorded
 * before sending the card.
 */
export const SETTLE_PENDING_PAYMENTS = `
  WITH item AS (SELECT value AS item FROM jsonb_array_elements($1::jsonb)),
       attempt AS (
         INSERT INTO payment_attempts (id, payment_id, acquirer_id, outcome, decline_code, error, http_status, duration_ms, acquirer_reference, created_at)
         SELECT a.id, a.payment_id, a.acquirer_id, a.outcome, a.decline_code, a.error, a.http_status, a.duration_ms, a.acquirer_reference, now()
           FROM item, jsonb_to_record(item -> 'attempt') AS a(${ATTEMPT_RECORD})
          WHERE a.id IS NOT NULL
             ON CONFLICT (id) DO UPDATE
            SET outcome = EXCLUDED.outcome, decline_code = EXCLUDED.decline_code, error = EXCLUDED.error, http_status = EXCLUDED.http_status,
                duration_ms = EXCLUDED.duration_ms, acquirer_reference = coalesce(EXCLUDED.acquirer_reference, payment_attempts.acquirer_reference)),
       change AS (SELECT p.* FROM item, jsonb_to_record(item -> 'payment') AS p(${SETTLEMENT_RECORD})),
       updated AS (
         UPDATE payments
            SET status = change.status,
                payment_history_status = change.payment_history_status,
                amount_captured = change.amount_captured,
                bank_reference = change.bank_reference,
                acquirer_id = change.acquirer_id,
                decline_code = change.decline_code,
                failure_reason = change.failure_reason,
                next_check_at = change.next_check_at,
                check_attempts = change.check_attempts,
                updated_at = change.updated_at
           FROM change
          WHERE payments.id = change.id AND payments.status = 'pending'
         RETURNING payments.id),
       event AS (
         INSERT INTO payment_events (${EVENT_COLUMNS})
         SELECT ${EVENT_COLUMNS}
           FROM item, jsonb_to_record(item -> 'event') AS e(${EVENT_RECORD})
          WHERE e.payment_id IN (SELECT id FROM updated))
  SELECT id FROM updated`;

// ---- Conditional changes: each applies only while the payment is as the caller expects ------

/**
 * Claims a capture or void ($2) on an authorised payment with no other operation in progress;
 * a capture's amount ($3) never exceeds the authorisation. The reconciler asks the bank about
 * it after $4 ms on the database's clock, should this process never hear back.
 */
export const CLAIM_OPERATION = `
  UPDATE payments
     SET bank_operation = $2,
         bank_operation_amount = $3,
         next_check_at = now() + make_interval(secs => $4::double precision / 1000),
         check_attempts = 0,
         operation_idempotency_token = $5
   WHERE id = $1 AND status = 'authorized' AND bank_operation IS NULL AND ($3::integer IS NULL OR amount >= $3)
  RETURNING ${PAYMENT_COLUMNS}`;

/** Releases operation $2, unchanged otherwise: the bank refused it, or never received it. */
export const RELEASE_OPERATION = `
  UPDATE payments
     SET bank_operation = NULL, bank_operation_amount = NULL, next_check_at = NULL, check_attempts = 0
   WHERE id = $1 AND bank_operation = $2
  RETURNING ${PAYMENT_COLUMNS}`;

/** Records operation $2 as done: its status ($3, $4), and for a capture the amount captured ($5). */
export const SETTLE_OPERATION = `
  UPDATE payments
     SET bank_operation = NULL, bank_operation_amount = NULL, next_check_at = NULL, check_attempts = 0,
         status = $3,
         payment_history_status = $4,
         amount_captured = coalesce($5::integer, amount_captured),
         updated_at = $6
   WHERE id = $1 AND bank_operation = $2
  RETURNING ${PAYMENT_COLUMNS}`;

/** Archives one payment whose status ($3) allows it, unless already archived. */
export const ARCHIVE_PAYMENT = `
  UPDATE payments
     SET payment_history_status = 'archived', updated_at = $2
   WHERE id = $1 AND status = ANY($3) AND payment_history_status <> 'archived'
  RETURNING ${PAYMENT_COLUMNS}`;

export const ARCHIVE_BATCH = 500;

/**
 * Archives the next batch of payments created before $1 whose status ($2) allows it and with no
 * operation in progress, of merchant $3 (or all, when null), oldest first.
 */
export const ARCHIVE_PAYMENTS_BATCH = `
  WITH batch AS (
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
  RETURNING ${P_PAYMENT_COLUMNS}`;

/** Events, given as a JSON array of `eventRow`s. */
export const INSERT_PAYMENT_EVENTS = `
  INSERT INTO payment_events (${EVENT_COLUMNS})
  SELECT ${EVENT_COLUMNS} FROM jsonb_populate_recordset(NULL::payment_events, $1::jsonb)`;

// ---- Lists and totals -------------------------------------------------------------------------
//
// Built from the filters present, not one static text with `($n IS NULL OR col = $n)`: as a
// named prepared statement, PostgreSQL soon plans such a text once for all values (a generic
// plan), which cannot pick an index by the filters given. Measured with EXPLAIN ANALYZE on
// 500 k payments of 10 merchants (PostgreSQL 15): the generic plan of the catch-all text is a
// parallel sequential scan and a sort, 130–260 ms for a first page, for the merchant + mode
// list and for the admin's list alike; the built texts walk payments_merchant_mode_created_idx,
// payments_merchant_mode_status_created_idx or payments_created_idx and stop after a page,
// 0.03–0.2 ms. The texts are still a few fixed ones, one per combination of filters.

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

export type SummaryFilters = Pick<PaymentFilters, 'merchantId' | 'livemode' | 'createdGte' | 'createdLt'>;

export interface Statement {
  text: string;
  values: unknown[];
}

/**
 * One page, newest first, by keyset. One merchant's payments of both modes (a merchant's
 * person's or an admin's list) are the merge of one walk per mode, each down an index that
 * leads with (merchant_id, livemode), each stopping after a page.
 */
export function listPayments(filters: PaymentFilters): Statement {
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
  const select = `SELECT ${PAYMENT_COLUMNS} FROM payments`;
  const text =
    filters.merchantId && filters.livemode === undefined
      ? `SELECT * FROM ((${select} WHERE ${conditions} AND livemode ${page}) UNION ALL (${select} WHERE ${conditions} AND NOT livemode ${page})) p ${page}`
      : `${select} WHERE ${conditions} ${page}`;
  return { text, values };
}

const APPROVED = `status IN (${APPROVED_STATUSES.map((status) => `'${status}'`).join(', ')})`;

/** Counts per status, and counts and approved amounts per UTC day and currency (summed as bigint, read as text). */
export function paymentSummary(filters: SummaryFilters): { byStatus: Statement; byDayAndCurrency: Statement } {
  const values: unknown[] = [];
  const where: string[] = ['true'];
  const param = (value: unknown) => `$${values.push(value)}`;
  if (filters.merchantId) where.push(`merchant_id = ${param(filters.merchantId)}`);
  if (filters.livemode !== undefined) where.push(`livemode = ${param(filters.livemode)}`);
  // Both modes named: the indexes lead with (merchant_id, livemode), and PostgreSQL walks
  // one range of created_at per mode rather than every payment of the merchant.
  else if (filters.merchantId) where.push('livemode IN (true, false)');
  if (filters.createdGte) where.push(`created_at >= ${param(filters.createdGte)}`);
  if (filters.createdLt) where.push(`created_at < ${param(filters.createdLt)}`);
  const conditions = where.join(' AND ');
  return {
    byStatus: { text: `SELECT status, count(*)::text AS count FROM payments WHERE ${conditions} GROUP BY status`, values },
    byDayAndCurrency: {
      text: `SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS date, currency, count(*)::text AS count,
                    (count(*) FILTER (WHERE ${APPROVED}))::text AS approved,
                    (coalesce(sum(amount::bigint) FILTER (WHERE ${APPROVED}), 0))::text AS amount
               FROM payments WHERE ${conditions} GROUP BY 1, 2 ORDER BY 1, 2`,
      values,
    },
  };
}

// ---- Rows -------------------------------------------------------------------------------------

export type Row = Record<string, unknown>;

/** A payment as its row: a JSON object keyed by column, for jsonb_to_record (PAYMENT_RECORD). */
export function paymentRow(payment: Payment): Row {
  return {
    id: payment.id,
    merchant_id: payment.merchantId,
    livemode: payment.livemode,
    status: payment.status,
    payment_history_status: payment.historyStatus,
    amount: payment.amount,
    currency: payment.currency,
    capture_requested: payment.captureRequested,
    amount_captured: payment.amountCaptured,
    amount_refunded: payment.amountRefunded,
    amount_refund_pending: payment.amountRefundPending,
    bank_operation: payment.bankOperation,
    bank_operation_amount: payment.bankOperationAmount,
    next_check_at: payment.nextCheckAt,
    check_attempts: payment.checkAttempts,
    card_brand: payment.cardBrand,
    card_bin: payment.cardBin,
    card_last4: payment.cardLast4,
    card_expiry_month: payment.cardExpiryMonth,
    card_expiry_year: payment.cardExpiryYear,
    card_holder_name: payment.cardHolderName,
    card_fingerprint: payment.cardFingerprint,
    bank_reference: payment.bankReference,
    acquirer_id: payment.acquirerId,
    decline_code: payment.declineCode,
    failure_reason: payment.failureReason,
    reference: payment.reference,
    description: payment.description,
    metadata: payment.metadata,
    idempotency_token: payment.idempotencyToken,
    operation_idempotency_token: payment.operationIdempotencyToken,
    created_at: payment.createdAt,
    updated_at: payment.updatedAt,
  };
}

/** What SETTLE_PENDING_PAYMENTS reads of a settled payment: its id and the columns settling sets. */
export function settlementRow(payment: Payment): Row {
  return {
    id: payment.id,
    status: payment.status,
    payment_history_status: payment.historyStatus,
    amount_captured: payment.amountCaptured,
    bank_reference: payment.bankReference,
    acquirer_id: payment.acquirerId,
    decline_code: payment.declineCode,
    failure_reason: payment.failureReason,
    next_check_at: payment.nextCheckAt,
    check_attempts: payment.checkAttempts,
    updated_at: payment.updatedAt,
  };
}

/** A row as node-postgres parsed it (timestamps as Date, integers as number, jsonb as object) as the entity. */
export function paymentFromRow(row: Row): Payment {
  return {
    id: row.id as string,
    merchantId: row.merchant_id as string,
    livemode: row.livemode as boolean,
    status: row.status as Payment['status'],
    historyStatus: row.payment_history_status as Payment['historyStatus'],
    amount: row.amount as number,
    currency: row.currency as string,
    captureRequested: row.capture_requested as boolean,
    amountCaptured: row.amount_captured as number,
    amountRefunded: row.amount_refunded as number,
    amountRefundPending: row.amount_refund_pending as number,
    bankOperation: row.bank_operation as Payment['bankOperation'],
    bankOperationAmount: row.bank_operation_amount as number | null,
    nextCheckAt: row.next_check_at as Date | null,
    checkAttempts: row.check_attempts as number,
    cardBrand: row.card_brand as Payment['cardBrand'],
    cardBin: row.card_bin as string,
    cardLast4: row.card_last4 as string,
    cardExpiryMonth: row.card_expiry_month as number,
    cardExpiryYear: row.card_expiry_year as number,
    cardHolderName: row.card_holder_name as string | null,
    cardFingerprint: row.card_fingerprint as string,
    bankReference: row.bank_reference as string | null,
    acquirerId: row.acquirer_id as string | null,
    declineCode: row.decline_code as string | null,
    failureReason: row.failure_reason as string | null,
    reference: row.reference as string | null,
    description: row.description as string | null,
    metadata: row.metadata as Record<string, string>,
    idempotencyToken: row.idempotency_token as string | null,
    operationIdempotencyToken: row.operation_idempotency_token as string | null,
    createdAt: row.created_at as Date,
    updatedAt: row.updated_at as Date,
  };
}

export function eventRow(event: PaymentEvent): Row {
  return {
    id: event.id,
    payment_id: event.paymentId,
    merchant_id: event.merchantId,
    type: event.type,
    data: event.data,
    created_at: event.createdAt,
  };
}

export function eventFromRow(row: Row): PaymentEvent {
  return {
    id: row.id as string,
    paymentId: row.payment_id as string,
    merchantId: row.merchant_id as string,
    type: row.type as string,
    data: row.data as PaymentEvent['data'],
    createdAt: row.created_at as Date,
  };
}
