/**
 * The merchants' SQL, as fixed, named texts (prepared once per connection by `Sql`), and the
 * mapper from a row. Adding a column to `merchants` means: the entity, the migration,
 * MERCHANT_COLUMNS, INSERT_MERCHANT and `merchantFromRow` (queries.spec.ts fails until they agree).
 */
import type { Cursor } from '../../common/pagination.js';
import type { Row } from '../../database/sql.js';
import { listStatement, type Statement } from '../../database/statement.js';
import type { Merchant } from '../merchant.entity.js';

/** Every column of `merchants`, in the entity's order. */
export const MERCHANT_COLUMNS = 'id, name, created_at';

export const INSERT_MERCHANT = `INSERT INTO merchants (${MERCHANT_COLUMNS}) VALUES ($1, $2, $3)`;

export const MERCHANT_EXISTS = 'SELECT EXISTS (SELECT 1 FROM merchants WHERE id = $1) AS exists';

const SELECT_MERCHANTS = `SELECT ${MERCHANT_COLUMNS} FROM merchants`;
const AFTER_CURSOR = '(created_at, id) < ($?, $?)';
const PAGE = 'ORDER BY created_at DESC, id DESC LIMIT $?';

/** Newest first, a keyset page of `limit` rows. */
export function listMerchants(after: Cursor | undefined, limit: number): Statement {
  return listStatement(SELECT_MERCHANTS, [after && [AFTER_CURSOR, after.createdAt, after.id]], [PAGE, limit]);
}

export function merchantFromRow(row: Row): Merchant {
  return { id: row.id as string, name: row.name as string, createdAt: row.created_at as Date };
}
