/**
 * The router's SQL (attempts.repository.ts), as fixed, named texts (prepared once per connection
 * by `Sql`): routes, tries, and who holds an authorisation. The tries' writes on the create path
 * take their rows as one JSON array ($1), for `GroupCommit`.
 */

/**
 * Writes attempts given as a JSON array of `attemptRow`s: a new row, or the outcome of one
 * recorded when it started (`created_at` and a reference already known stay).
 */
export const RECORD_ATTEMPTS = `
  INSERT INTO payment_attempts (id, payment_id, acquirer_id, outcome, decline_code, error, http_status, duration_ms, acquirer_reference, created_at)
  SELECT id, payment_id, acquirer_id, outcome, decline_code, error, http_status, duration_ms, acquirer_reference, now()
    FROM jsonb_populate_recordset(NULL::payment_attempts, $1::jsonb)
      ON CONFLICT (id) DO UPDATE
     SET outcome = EXCLUDED.outcome, decline_code = EXCLUDED.decline_code, error = EXCLUDED.error, http_status = EXCLUDED.http_status,
         duration_ms = EXCLUDED.duration_ms, acquirer_reference = coalesce(EXCLUDED.acquirer_reference, payment_attempts.acquirer_reference)`;

/** Tries about to be sent, given as a JSON array of `{ id, payment_id, acquirer_id }`: rows with no outcome yet. */
export const START_ATTEMPTS = `
  INSERT INTO payment_attempts (id, payment_id, acquirer_id, outcome, created_at)
  SELECT id, payment_id, acquirer_id, NULL, now()
    FROM jsonb_populate_recordset(NULL::payment_attempts, $1::jsonb)`;

/** An acquirer's columns as the router reads them (AcquirerRow), from `acquirers a`. */
const ROUTER_ACQUIRER_COLUMNS = `a.id, a.name, a.kind, a.base_url AS "baseUrl", a.api_key AS "apiKey", a.timeout_ms AS "timeoutMs",
  a.enabled, a.updated_at::text AS version`;

/** A merchant's routing and every acquirer (a short table), in one round trip. */
export const ROUTE_DATA = `
  SELECT (SELECT json_build_object('rules', r.rules, 'default', r."default") FROM merchant_routings r WHERE r.merchant_id = $1) AS routing,
         (SELECT json_agg(json_build_object('id', a.id, 'name', a.name, 'kind', a.kind, 'baseUrl', a.base_url, 'apiKey', a.api_key,
                                            'timeoutMs', a.timeout_ms, 'enabled', a.enabled, 'version', a.updated_at::text))
            FROM acquirers a) AS acquirers`;

/** A try's outcome, recorded after it started ($6 and $7 keep what the row knew when null). */
export const FINISH_ATTEMPT = `
  UPDATE payment_attempts SET outcome = $2, decline_code = $3, error = $4, http_status = $5,
         duration_ms = coalesce($6, duration_ms), acquirer_reference = coalesce($7, acquirer_reference)
   WHERE id = $1`;

/** The payment's latest try, with its acquirer. */
export const LATEST_ATTEMPT = `
  SELECT t.id AS "attemptId", t.outcome, t.decline_code AS "declineCode", t.acquirer_reference AS "acquirerReference",
         t.acquirer_id AS "acquirerId", ${ROUTER_ACQUIRER_COLUMNS}
    FROM payment_attempts t JOIN acquirers a ON a.id = t.acquirer_id
   WHERE t.payment_id = $1
   ORDER BY t.created_at DESC, t.id DESC LIMIT 1`;

/** The acquirer holding an approved payment's authorisation, its reference there and the authorised amount. */
export const HOLDER_OF_PAYMENT = `
  SELECT ${ROUTER_ACQUIRER_COLUMNS},
         (SELECT t.acquirer_reference FROM payment_attempts t
           WHERE t.payment_id = p.id AND t.acquirer_id = p.acquirer_id AND t.outcome = 'approved' LIMIT 1) AS reference,
         p.bank_operation_amount AS amount
    FROM payments p JOIN acquirers a ON a.id = p.acquirer_id
   WHERE p.id = $1 AND p.livemode`;

/** A refund's payment and amount. */
export const REFUND_OF_OPERATION = 'SELECT payment_id AS "paymentId", amount FROM refunds WHERE id = $1';
