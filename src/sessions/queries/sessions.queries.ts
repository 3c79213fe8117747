/**
 * The sessions' SQL (sessions and failed sign-ins), as fixed, named texts (prepared once per
 * connection by `Sql`), and the mapper from a row. The user's own statements are in
 * users/queries/users.queries.ts. Adding a column to `sessions` or `sign_in_failures` means:
 * the entity, the migration, the column list, its insert and the mapper (queries.spec.ts
 * fails until they agree).
 */
import type { Row } from '../../database/sql.js';
import type { Session } from '../session.entity.js';

/** Every column of `sessions`, in the entity's order. */
export const SESSION_COLUMNS = 'id, user_id, token_hash, csrf_token, client_ip, created_at, last_seen_at, expires_at, ended_at';

export const INSERT_SESSION = `INSERT INTO sessions (${SESSION_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`;

export const SESSION_BY_TOKEN_HASH = `SELECT ${SESSION_COLUMNS} FROM sessions WHERE token_hash = $1`;

export const TOUCH_SESSION = 'UPDATE sessions SET last_seen_at = $2 WHERE id = $1';

export const END_SESSION = 'UPDATE sessions SET ended_at = $2 WHERE id = $1';

/** Ends every open session of user $1 but $2 (a new password: whoever else knew the old one is out). */
export const END_OTHER_SESSIONS = 'UPDATE sessions SET ended_at = $3 WHERE user_id = $1 AND id <> $2 AND ended_at IS NULL';

/** Every column of `sign_in_failures`, in the entity's order. */
export const SIGN_IN_FAILURE_COLUMNS = 'id, email, client_ip, created_at';

export const INSERT_SIGN_IN_FAILURE = `INSERT INTO sign_in_failures (${SIGN_IN_FAILURE_COLUMNS}) VALUES ($1, $2, $3, $4)`;

/** Failed sign-ins since $3: for email $1 (whatever its case), and from address $2. */
export const SIGN_IN_FAILURE_COUNTS = `
  SELECT (SELECT count(*)::int FROM sign_in_failures WHERE lower(email) = lower($1) AND created_at > $3) AS by_email,
         (SELECT count(*)::int FROM sign_in_failures WHERE client_ip = $2 AND created_at > $3) AS by_address`;

export function sessionRow(session: Session): unknown[] {
  return [
    session.id,
    session.userId,
    session.tokenHash,
    session.csrfToken,
    session.clientIp,
    session.createdAt,
    session.lastSeenAt,
    session.expiresAt,
    session.endedAt,
  ];
}

export function sessionFromRow(row: Row): Session {
  return {
    id: row.id as string,
    userId: row.user_id as string,
    tokenHash: row.token_hash as string,
    csrfToken: row.csrf_token as string,
    clientIp: row.client_ip as string | null,
    createdAt: row.created_at as Date,
    lastSeenAt: row.last_seen_at as Date,
    expiresAt: row.expires_at as Date,
    endedAt: row.ended_at as Date | null,
  };
}
