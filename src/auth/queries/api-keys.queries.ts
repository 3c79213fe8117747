/**
 * The API keys' SQL, as fixed, named texts (prepared once per connection by `Sql`), and the
 * mapper from a row. A key's hash is written, and matched, but never read back. Adding a column
 * to `api_keys` means: the entity, the migration, API_KEY_COLUMNS, INSERT_API_KEY and
 * `apiKeyFromRow` (queries.spec.ts fails until they agree).
 */
import type { Cursor } from '../../common/pagination.js';
import type { Row } from '../../database/sql.js';
import { listStatement, type Statement } from '../../database/statement.js';
import type { ApiKey } from '../api-key.entity.js';
import type { Role } from '../principal.js';

/** A key as it is read: everything but its hash. */
export type StoredApiKey = Omit<ApiKey, 'keyHash'>;

/** Every column of `api_keys` but key_hash, in the entity's order. */
export const API_KEY_COLUMNS = 'id, merchant_id, role, prefix, livemode, created_at, revoked_at';

export const INSERT_API_KEY = `
  INSERT INTO api_keys (id, merchant_id, role, prefix, key_hash, livemode, created_at, revoked_at)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`;

/** The generated admin key; the unique index on the admin role lets exactly one of several starting instances insert it. */
export const INSERT_GENERATED_ADMIN_KEY = `
  INSERT INTO api_keys (id, merchant_id, role, prefix, key_hash, created_at)
  VALUES ($1, NULL, 'admin', $2, $3, $4)
  ON CONFLICT DO NOTHING
  RETURNING id`;

/** Who a key stands for, unless revoked: every request with a key not cached yet. */
export const KEY_BY_HASH = 'SELECT id, role, merchant_id, livemode FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL';

/** A merchant key to revoke, locked; of merchant $2 only, unless $2 is null (an admin's). */
export const MERCHANT_KEY_FOR_UPDATE = `
  SELECT ${API_KEY_COLUMNS} FROM api_keys
   WHERE id = $1 AND role = 'merchant' AND ($2::text IS NULL OR merchant_id = $2)
     FOR UPDATE`;

export const REVOKE_KEY = 'UPDATE api_keys SET revoked_at = $2 WHERE id = $1';

const SELECT_KEYS = `SELECT ${API_KEY_COLUMNS} FROM api_keys`;
const OF_MERCHANT = 'merchant_id = $?';
const AFTER_CURSOR = '(created_at, id) < ($?, $?)';
const PAGE = 'ORDER BY created_at DESC, id DESC LIMIT $?';

/** A merchant's keys, newest first, revoked ones included: a keyset page of `limit` rows. */
export function listKeys(merchantId: string, after: Cursor | undefined, limit: number): Statement {
  return listStatement(SELECT_KEYS, [[OF_MERCHANT, merchantId], after && [AFTER_CURSOR, after.createdAt, after.id]], [PAGE, limit]);
}

export function apiKeyFromRow(row: Row): StoredApiKey {
  return {
    id: row.id as string,
    merchantId: row.merchant_id as string | null,
    role: row.role as Role,
    prefix: row.prefix as string,
    livemode: row.livemode as boolean,
    createdAt: row.created_at as Date,
    revokedAt: row.revoked_at as Date | null,
  };
}
