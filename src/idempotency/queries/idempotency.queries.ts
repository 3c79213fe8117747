/**
 * The idempotency keys' SQL, as fixed, named texts (prepared once per connection by `Sql`).
 * Leases are measured on the database's clock: `$n` milliseconds added to `now()`, the same for
 * every instance.
 */

/**
 * Claims key ($1, $2) for a request, or reads who holds it, in one statement. The read sees the
 * table as it was before the statement: a key that a concurrent request claimed and committed
 * meanwhile is neither inserted nor seen (no row: ask again).
 */
export const CLAIM_KEY = `
  WITH claimed AS (
    INSERT INTO idempotency_keys (scope, key, fingerprint, status, token, lease_expires_at, created_at)
    VALUES ($1, $2, $3, 'in_flight', $4, now() + make_interval(secs => $5::double precision / 1000), now())
    ON CONFLICT (scope, key) DO NOTHING
    RETURNING lease_expires_at)
  SELECT true AS claimed, lease_expires_at AS lease, NULL AS fingerprint, NULL AS status, NULL::integer AS response_status,
         NULL AS response_body, false AS expired
    FROM claimed
  UNION ALL
  SELECT false, NULL, fingerprint, status, response_status, response_body, coalesce(lease_expires_at < now(), false)
    FROM idempotency_keys WHERE scope = $1 AND key = $2
  LIMIT 1`;

/** Renews an expired lease; of concurrent retries, the first to lock the row matches, the others re-check and do not. */
export const RECLAIM_KEY = `
  UPDATE idempotency_keys SET lease_expires_at = now() + make_interval(secs => $3::double precision / 1000)
   WHERE scope = $1 AND key = $2 AND status = 'in_flight' AND lease_expires_at < now()
  RETURNING lease_expires_at AS lease, token`;

/** Stores the response, if the request holding lease $3 still holds the key. */
export const COMPLETE_KEY = `
  UPDATE idempotency_keys SET status = 'completed', response_status = $4, response_body = $5
   WHERE scope = $1 AND key = $2 AND status = 'in_flight' AND lease_expires_at IS NOT DISTINCT FROM $3`;

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
