/**
 * The users' SQL (UsersService, and SessionsService's reads and writes of a user), as fixed,
 * named texts (prepared once per connection by `Sql`), and the mapper from a row. Adding a
 * column to `users` means: the entity, the migration, USER_COLUMNS, INSERT_USER and
 * `userFromRow` (queries.spec.ts fails until they agree).
 */
import type { Cursor } from '../../common/pagination.js';
import type { Row } from '../../database/sql.js';
import { listStatement, type Statement } from '../../database/statement.js';
import type { User, UserRole } from '../user.entity.js';

/** Every column of `users`, in the entity's order. */
export const USER_COLUMNS = 'id, email, name, role, merchant_id, password_hash, disabled, last_login_at, created_at, updated_at';

/** A taken email (whatever its case) is refused by users_email_key: SQLSTATE 23505. */
export const INSERT_USER = `INSERT INTO users (${USER_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`;

export const USER_BY_ID = `SELECT ${USER_COLUMNS} FROM users WHERE id = $1`;

/** The user, locked until the transaction ends: a change computed from it cannot race. */
export const USER_BY_ID_FOR_UPDATE = `SELECT ${USER_COLUMNS} FROM users WHERE id = $1 FOR UPDATE`;

/** Emails match whatever their case (users_email_key is on lower(email)). */
export const USER_BY_EMAIL = `SELECT ${USER_COLUMNS} FROM users WHERE lower(email) = lower($1)`;

export const UPDATE_USER = 'UPDATE users SET name = $2, role = $3, disabled = $4, updated_at = $5 WHERE id = $1';

export const SET_PASSWORD = 'UPDATE users SET password_hash = $2, updated_at = $3 WHERE id = $1';

export const SET_LAST_LOGIN = 'UPDATE users SET last_login_at = $2 WHERE id = $1';

/** Starting instances take turns on the first admin's creation: a lock held until the transaction ends. */
export const LOCK_FIRST_ADMIN = 'SELECT pg_advisory_xact_lock($1)';

export const ANY_ADMIN = `SELECT id FROM users WHERE role = 'admin' LIMIT 1`;

/** Ends every open session of user $1 at $2 (disabled, or their role changed). */
export const END_SESSIONS_OF_USER = 'UPDATE sessions SET ended_at = $2 WHERE user_id = $1 AND ended_at IS NULL';

const SELECT_USERS = `SELECT ${USER_COLUMNS} FROM users`;
const OF_MERCHANT = 'merchant_id = $?';
const AFTER_CURSOR = '(created_at, id) < ($?, $?)';
const PAGE = 'ORDER BY created_at DESC, id DESC LIMIT $?';

/** Newest first, a keyset page of `limit` rows; of one merchant, or everyone. */
export function listUsers(merchantId: string | undefined, after: Cursor | undefined, limit: number): Statement {
  return listStatement(
    SELECT_USERS,
    [merchantId !== undefined && [OF_MERCHANT, merchantId], after && [AFTER_CURSOR, after.createdAt, after.id]],
    [PAGE, limit],
  );
}

export function userRow(user: User): unknown[] {
  return [user.id, user.email, user.name, user.role, user.merchantId, user.passwordHash, user.disabled, user.lastLoginAt, user.createdAt, user.updatedAt];
}

export function userFromRow(row: Row): User {
  return {
    id: row.id as string,
    email: row.email as string,
    name: row.name as string,
    role: row.role as UserRole,
    merchantId: row.merchant_id as string | null,
    passwordHash: row.password_hash as string,
    disabled: row.disabled as boolean,
    lastLoginAt: row.last_login_at as Date | null,
    createdAt: row.created_at as Date,
    updatedAt: row.updated_at as Date,
  };
}
