/**
 * The idempotency keys' SQL, as fixed, named texts (prepared once per connection by `Sql`).
 * Leases are measured on the database's clock: `$n` milliseconds added to `now()`, the same for
 * every instance.
 */

/**
 * Claims keys for requests, or reads who holds each, in one statement: $1 is a JSON array of
 * `{ scope, key, fingerprint, token, lease_ms }`, and one row comes back per element, in order.
 * `claimed`: this element holds the key now. Otherwise `found` says whether the key was held
 * before the statement (its holder's row in the other columns); neither means a concurrent
 * request claimed it meanwhile, or the same key came twice in the batch (only its first
 * element claims it): ask again. The read sees the table as it was before the statement. The
 * keys are inserted in (scope, key) order, so two batches never wait for each other's keys
 * crosswise.
 */
export const CLAIM_KEYS = `
  WITH item AS (
    SELECT e.ord, x.scope, x.key, x.fingerprint, x.token, x.lease_ms
      FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(value, ord),
           jsonb_to_record(e.value) AS x(scope text, key text, fingerprint text, token text, lease_ms double precision)),
  first AS (
    SELECT DISTINCT ON (scope, key) ord, scope, key, fingerprint, token, lease_ms FROM item ORDER BY scope, key, ord),
  claimed AS (
    INSERT INTO idempotency_keys (scope, key, fingerprint, status, token, lease_expires_at, created_at)
    SELECT scope, key, fingerprint, 'in_flight', token, now() + make_interval(secs => lease_ms / 1000), now() FROM first
    ON CONFLICT (scope, key) DO NOTHING
    RETURNING scope, key, lease_expires_at)
  SELECT c.scope IS NOT NULL AS claimed, c.lease_expires_at AS lease, k.scope IS NOT NULL AS found, k.fingerprint, k.status,
         k.response_status, k.response_body, coalesce(k.lease_expires_at < now(), false) AS expired
    FROM item
    LEFT JOIN first f ON f.ord = item.ord
    LEFT JOIN claimed c ON f.ord IS NOT NULL AND c.scope = item.scope AND c.key = item.key
    LEFT JOIN idempotency_keys k ON k.scope = item.scope AND k.key = item.key
   ORDER BY item.ord`;

/** Renews an expired lease; of concurrent retries, the first to lock the row matches, the others re-check and do not. */
export const RECLAIM_KEY = `
  UPDATE idempotency_keys SET lease_expires_at = now() + make_interval(secs => $3::double precision / 1000)
   WHERE scope = $1 AND key = $2 AND status = 'in_flight' AND lease_expires_at < now()
  RETURNING lease_expires_at AS lease, token`;

/**
 * Stores responses: $1 is a JSON array of `{ scope, key, lease, response_status, response_body }`,
 * each stored if the request holding `lease` still holds its key.
 */
export const COMPLETE_KEYS = `
  UPDATE idempotency_keys k
     SET status = 'completed', response_status = x.response_status, response_body = x.response_body
    FROM jsonb_to_recordset($1::jsonb) AS x(scope text, key text, lease timestamptz, response_status integer, response_body text)
   WHERE k.scope = x.scope AND k.key = x.key AND k.status = 'in_flight' AND k.lease_expires_at IS NOT DISTINCT FROM x.lease`;

/** Frees the key, if the request holding lease $3 still holds it. */
export const ABANDON_KEY = `
  DELETE FROM idempotency_keys
   WHERE scope = $1 AND key = $2 AND status = 'in_flight' AND lease_expires_at IS NOT DISTINCT FROM $3`;

export const PURGE_BATCH = 1000;

/** Deletes a batch of keys older than $1 ms; SKIP LOCKED keeps instances purging at once out of each other's way. */
export const PURGE_KEYS = `
  DELETE FROM idempotency_keys
   WHERE (scope, key) IN (
     SELECT scope, key FROM idempotency_keys
      WHERE created_at < now() - make_interval(secs => $1::double precision / 1000)
      LIMIT ${PURGE_BATCH}
        FOR UPDATE SKIP LOCKED)
  RETURNING key`;
